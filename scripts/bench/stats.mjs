// Small statistics for benchmarks: medians over repeated runs, peak RSS sampled while running.
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Runs fn `times` times; returns the median duration in ms and the peak RSS seen (MiB). */
export async function measure(fn, times = 5) {
  const durations = [];
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()); }, 20);
  try {
    for (let i = 0; i < times; i++) {
      globalThis.gc?.();
      const t0 = performance.now();
      await fn();
      durations.push(performance.now() - t0);
      peak = Math.max(peak, process.memoryUsage.rss());
    }
  } finally {
    clearInterval(timer);
  }
  return { ms: median(durations), runs: durations.length, peakMiB: peak / 2 ** 20 };
}

export const fmt = (n, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
