// Commits documents in batches: a batch is a few multi-row INSERTs a table and one commit
// (loader.ts), where one document at a time pays a commit and a dozen statements each. Each
// document stays all-or-nothing inside the batch (the loader isolates a failing one), and a
// crash loses only documents not yet committed, which the next run stores again since their
// doc_ids are absent.
import type { ExtractResult } from '../model/schema.js';
import type { Database } from '../store/db.js';
import { loadResult, loadResults, type LoadOutcome, type StoreExtras } from '../store/loader.js';

export const BATCH_SETTINGS = {
  /** Documents per commit at most (128 stores a dump in ~15% less CPU than 32: fewer commits, longer INSERTs). */
  size: 128,
  /** Longest a stored-but-uncommitted document waits (slow inputs such as scans still commit promptly). */
  maxWaitMs: 250,
} as const;

interface Entry { result: ExtractResult; extras: StoreExtras | undefined; resolve: (o: LoadOutcome) => void; reject: (e: Error) => void }

export class BatchLoader {
  private pending: Entry[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly db: Database, private readonly size: number = BATCH_SETTINGS.size, private readonly maxWaitMs: number = BATCH_SETTINGS.maxWaitMs) {}

  /** Resolves once the document is committed (or known to be stored already). */
  add(result: ExtractResult, replace = false, extras?: StoreExtras): Promise<LoadOutcome> {
    if (replace) {
      // A replacement deletes and re-inserts: keep it in order with what came before.
      this.flush();
      try { return Promise.resolve(loadResult(this.db, result, { replace: true }, extras)); } catch (err) { return Promise.reject(err as Error); }
    }
    return new Promise((resolve, reject) => {
      this.pending.push({ result, extras, resolve, reject });
      if (this.pending.length >= this.size) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.maxWaitMs);
    });
  }

  flush(): void {
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    let outcomes: (LoadOutcome | Error)[];
    try {
      outcomes = loadResults(this.db, batch.map((e) => e.result), {}, batch.map((e) => e.extras));
    } catch (err) {
      for (const e of batch) e.reject(err as Error);
      return;
    }
    batch.forEach((e, i) => {
      const o = outcomes[i]!;
      if (o instanceof Error) e.reject(o);
      else e.resolve(o);
    });
  }
}
