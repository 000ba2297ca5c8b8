// Why a PDF could not be read at all, in words an analyst can act on. Problems the extractor gets
// past (one bad page) are notes on the document instead.

export type PdfErrorReason = 'encrypted' | 'password' | 'truncated' | 'not-pdf' | 'no-pages' | 'corrupt';

const EXPLAIN: Record<PdfErrorReason, string> = {
  encrypted: 'is encrypted in a way that cannot be decrypted here',
  password: 'is protected by a password that is needed to open it',
  truncated: 'is truncated (the file ends before the PDF does; was the download or copy cut short?)',
  'not-pdf': 'is not a PDF (it does not start with a %PDF header)',
  'no-pages': 'is a PDF with no pages',
  corrupt: 'is a damaged PDF that could not be read',
};

export class PdfError extends Error {
  override name = 'PdfError';
  readonly reason: PdfErrorReason;
  readonly file: string;

  constructor(reason: PdfErrorReason, file: string, detail?: string, options?: { cause?: unknown }) {
    super(`${file} ${EXPLAIN[reason]}${detail ? `: ${detail}` : ''}`, options);
    this.reason = reason;
    this.file = file;
  }
}
