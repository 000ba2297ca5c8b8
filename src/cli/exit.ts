// What every command of the CLI shares: exit codes, the default database, the usage error.
export const EXIT = { ok: 0, failedDocuments: 1, usage: 2, internal: 3, locked: 4 } as const;

/** 128 + SIGINT, what a shell reports for a program stopped by Ctrl-C. */
export const EXIT_INTERRUPTED = 130;

export const DEFAULT_DB = 'data/govtables.sqlite';

/** Bad usage: printed with the command's help, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface Command {
  help: string;
  run: (args: string[]) => Promise<number>;
}
