// Peak resident memory of a process and all its descendants together, sampled from /proc: what
// a machine pays for a run, worker processes included.
import { readdirSync, readFileSync } from 'node:fs';

function parentOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

function rssKb(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'latin1'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** Sum of VmRSS over `root` and its descendants, MB. */
export function treeRssMb(root: number): number {
  const pids = readdirSync('/proc').filter((n) => /^\d+$/.test(n)).map(Number);
  const parent = new Map(pids.map((p) => [p, parentOf(p)]));
  const inTree = (p: number): boolean => {
    for (let q: number | null | undefined = p, hops = 0; q && hops < 64; q = parent.get(q), hops++) if (q === root) return true;
    return false;
  };
  return pids.filter(inTree).reduce((sum, p) => sum + rssKb(p), 0) / 1024;
}

/** Samples the tree of `pid` every `ms` until stopped; returns the peak seen. */
export function sampleTree(pid: number, ms = 50): { stop: () => number } {
  let peak = 0;
  const t = setInterval(() => { peak = Math.max(peak, treeRssMb(pid)); }, ms);
  return { stop: () => { clearInterval(t); return peak; } };
}
