// Text-layer PDFs → rows. Per page: text boxes from the text layer, ruling segments from the
// drawing operators, ruled grids from the segments (lattice), text into cells; pages without
// rules are read by whitespace (stream). Pages without a usable text layer are listed for OCR.
import type { Limits } from '../../limits.js';
import type { ExtractedDocument, Row } from '../rows.js';
import type { PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { resolveGridSettings, segmentsToGrids, type GridSettings } from '../grid/lattice.js';
import { DEFAULT_STREAM_SETTINGS, type StreamSettings } from '../grid/stream.js';
import { resolveSettings, SettingsError } from '../grid/settings.js';
import { PdfError } from './errors.js';
import { openPdf, pdfjsErrorToPdfError } from './load.js';
import { DEFAULT_LAYOUT_SETTINGS, pageToRows, type LayoutSettings } from './layout.js';
import type { Matrix } from './matrix.js';
import { DEFAULT_RULE_SETTINGS, operatorListToRules, type RuleSettings } from './rules.js';
import { DEFAULT_TEXT_LAYER_SETTINGS, hasUsableText, textItemsToBoxes, type PdfTextItem, type PdfTextStyle, type TextLayerSettings } from './text.js';

export { PdfError, type PdfErrorReason } from './errors.js';

export interface PdfExtractOptions {
  /** Name used in messages and notes (defaults to "PDF"). */
  file?: string;
  layout?: Partial<LayoutSettings>;
  grid?: Partial<GridSettings>;
  rules?: Partial<RuleSettings>;
  stream?: Partial<StreamSettings>;
  textLayer?: Partial<TextLayerSettings>;
  /** Pages, decoded stream bytes and image pixels a document may have (default DEFAULT_LIMITS). */
  limits?: Limits;
  /** Called as each page is started (a watchdog times pages by it). */
  onPage?: (page: number) => void;
}

export type PdfDocument = ExtractedDocument & {
  /** 1-based numbers of pages with no usable text layer: candidates for OCR. */
  pagesWithoutText: number[];
};

async function readPage(page: PDFPageProxy, n: number, opts: PdfExtractOptions, textLayer: TextLayerSettings): Promise<Row[] | null> {
  const viewport = page.getViewport({ scale: 1 });
  const transform = viewport.transform as Matrix;
  const content = await page.getTextContent();
  const items = content.items.filter((it): it is typeof it & PdfTextItem => 'str' in it);
  const boxes = textItemsToBoxes(items, content.styles as Record<string, PdfTextStyle>, transform);
  // A page without text goes to OCR; its drawing operators (image decoding) are not needed here.
  if (!hasUsableText(boxes, textLayer)) return null;
  const ops = await page.getOperatorList();
  const rules = operatorListToRules(ops, transform, opts.rules);
  const grids = segmentsToGrids(rules.horizontal, rules.vertical, opts.grid);
  return pageToRows(n, boxes, grids, { layout: opts.layout, grid: opts.grid, stream: opts.stream });
}

const OPTION_KEYS: ReadonlySet<string> = new Set(['file', 'layout', 'grid', 'rules', 'stream', 'textLayer', 'limits', 'onPage']);

export async function extractPdf(bytes: Uint8Array, opts: PdfExtractOptions = {}): Promise<PdfDocument> {
  const unknown = Object.keys(opts).filter((k) => !OPTION_KEYS.has(k));
  if (unknown.length > 0) throw new SettingsError(`unknown PDF option "${unknown[0]}" (known: ${[...OPTION_KEYS].join(', ')})`);
  const file = opts.file ?? 'PDF';
  const textLayer = resolveSettings('text layer', DEFAULT_TEXT_LAYER_SETTINGS, opts.textLayer);
  // Every setting is checked before the file is opened: a typo is the caller's error, not a page's.
  const resolved: PdfExtractOptions = {
    file,
    layout: resolveSettings('layout', DEFAULT_LAYOUT_SETTINGS, opts.layout),
    grid: resolveGridSettings(opts.grid),
    rules: resolveSettings('rule', DEFAULT_RULE_SETTINGS, opts.rules),
    stream: resolveSettings('stream', DEFAULT_STREAM_SETTINGS, opts.stream),
  };
  const doc: PDFDocumentProxy = await openPdf(bytes, file, opts.limits);
  const out: PdfDocument = { kind: 'pdf', pages: doc.numPages, rows: [], notes: [], pagesWithoutText: [] };
  try {
    for (let n = 1; n <= doc.numPages; n++) {
      opts.onPage?.(n);
      let page: PDFPageProxy;
      try {
        page = await doc.getPage(n);
      } catch (err) {
        if (n === 1) throw pdfjsErrorToPdfError(err, file, bytes);
        out.pagesWithoutText.push(n);
        out.notes.push({ code: 'PDF_PAGE_UNREADABLE', message: `page ${n} of ${file} could not be read: ${String((err as Error)?.message ?? err)}`, location: `p${n}` });
        continue;
      }
      try {
        const rows = await readPage(page, n, resolved, textLayer);
        if (rows === null) {
          out.pagesWithoutText.push(n);
          out.notes.push({ code: 'PDF_PAGE_NO_TEXT', message: `page ${n} of ${file} has no usable text layer`, location: `p${n}` });
        } else {
          out.rows.push(...rows);
        }
      } catch (err) {
        if (err instanceof PdfError) throw err;
        out.pagesWithoutText.push(n);
        out.notes.push({ code: 'PDF_PAGE_UNREADABLE', message: `page ${n} of ${file} could not be read: ${String((err as Error)?.message ?? err)}`, location: `p${n}` });
      } finally {
        page.cleanup();
      }
    }
  } finally {
    await doc.destroy();
  }
  return out;
}
