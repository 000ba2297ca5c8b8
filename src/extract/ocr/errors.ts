import { ExtractError, type ExtractReason } from '../errors.js';

/**
 * A scan that could not be read. Like every ExtractError it names the file; it adds the 1-based
 * page when the failure belongs to one page.
 */
export class OcrError extends ExtractError {
  readonly page: number | null;

  constructor(file: string, page: number | null, reason: ExtractReason, detail: string, options?: { cause?: unknown }) {
    super(file, reason, detail, page === null ? null : `page ${page}`);
    this.name = 'OcrError';
    this.page = page;
    if (options?.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
  }
}
