// Which extractor a file needs, from its structure (src/extract/format.ts).
import { sniffFormat } from '../extract/format.js';

export type Kind = 'pdf' | 'scan' | 'text';

export function sniffKind(bytes: Uint8Array): Kind {
  const f = sniffFormat(bytes);
  return f === 'text' ? 'text' : f === 'pdf' ? 'pdf' : 'scan';
}
