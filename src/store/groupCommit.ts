// Commits for a store behind a server: documents wait for no timer. The first document goes at
// once; those that arrive while a commit is under way wait for it and go together in the next
// one (group commit), so a busy run gets large batches and a quiet one no delay.
import type { ExtractResult } from '../model/schema.js';
import type { LoadOutcome, StoreExtras } from './loader.js';
import type { DocumentLoader } from './store.js';

export interface GroupItem {
  result: ExtractResult;
  replace: boolean;
  extras: StoreExtras | undefined;
}

export const GROUP_SETTINGS = {
  /** Documents per commit at most. */
  maxBatch: 64,
  /** Waiting documents past which `behind` asks the caller to wait. */
  behindAt: 256,
} as const;

interface Entry { item: GroupItem; resolve: (o: LoadOutcome) => void; reject: (e: Error) => void }

export class GroupCommitLoader implements DocumentLoader {
  private pending: Entry[] = [];
  private running: Promise<void> | null = null;
  private scheduled = false;

  /** `commit` stores a batch: an outcome or an Error per document; it rejects when none was stored. */
  constructor(private readonly commit: (items: GroupItem[]) => Promise<(LoadOutcome | Error)[]>, private readonly maxBatch: number = GROUP_SETTINGS.maxBatch) {}

  get behind(): boolean {
    return this.pending.length >= GROUP_SETTINGS.behindAt;
  }

  add(result: ExtractResult, replace = false, extras?: StoreExtras): Promise<LoadOutcome> {
    return new Promise((resolve, reject) => {
      this.pending.push({ item: { result, replace, extras }, resolve, reject });
      // Documents handed in during the same turn of the event loop go together.
      if (!this.scheduled && !this.running) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.kick();
        });
      }
    });
  }

  private kick(): void {
    if (this.running || this.pending.length === 0) return;
    const batch = this.pending.splice(0, this.maxBatch);
    this.running = this.commit(batch.map((e) => e.item)).then(
      (outcomes) => batch.forEach((e, i) => {
        const o = outcomes[i]!;
        if (o instanceof Error) e.reject(o);
        else e.resolve(o);
      }),
      (err: unknown) => batch.forEach((e) => e.reject(err instanceof Error ? err : new Error(String(err)))),
    ).finally(() => {
      this.running = null;
      this.kick();
    });
  }

  async flush(): Promise<void> {
    while (this.running || this.pending.length > 0 || this.scheduled) {
      if (!this.running) this.kick();
      await (this.running ?? new Promise((r) => setImmediate(r)));
    }
  }
}
