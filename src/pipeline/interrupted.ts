// A document whose reading was stopped because the run was (Ctrl-C): neither read nor failed.
// It is never stored, so the next run reads it again as if it had never been seen.
export class Interrupted extends Error {
  constructor(readonly file: string) {
    super(`${file}: the run was stopped before this document was read; it is read again next time`);
    this.name = 'Interrupted';
  }
}

export const STOP_SETTINGS = {
  /**
   * After Ctrl-C, how long the documents in hand may take to finish before their workers are
   * stopped and they are rolled back (a text dump finishes in milliseconds, a scan page takes
   * seconds of OCR).
   */
  graceMs: 2000,
} as const;

/**
 * When `signal` aborts, gives the documents in hand `graceMs` and then calls `abort` (which
 * stops the workers). Returns a function that disarms the timer.
 */
export function stopAfterGrace(signal: AbortSignal | undefined, abort: (() => void) | undefined, graceMs: number = STOP_SETTINGS.graceMs): () => void {
  if (!signal || !abort) return () => undefined;
  let timer: NodeJS.Timeout | null = null;
  const onAbort = () => {
    timer = setTimeout(abort, graceMs);
    timer.unref();
  };
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  return () => {
    signal.removeEventListener('abort', onAbort);
    if (timer) clearTimeout(timer);
  };
}
