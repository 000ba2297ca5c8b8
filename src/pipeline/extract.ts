// One file, start to end without a database: source → extractor → rows → variant detector →
// normalizer → validator → records. Every failure becomes a `failed` document with its reason.
import { readFile } from 'node:fs/promises';
import { ExtractError } from '../extract/errors.js';
import type { ExtractedDocument } from '../extract/rows.js';
import { extractText } from '../extract/text.js';
import { detect } from '../detect/detector.js';
import { docIdOf } from '../model/ids.js';
import type { ExtractResult, Finding, Variant } from '../model/schema.js';
import { NormalizeContext } from '../normalize/context.js';
import { normalizeRows } from '../normalize/engine.js';
import { familyOf } from '../normalize/variants/index.js';
import { isPartial, validate } from '../validate/index.js';
import { PIPELINE_VERSION } from '../version.js';
import { sniffKind, type Kind } from './sniff.js';

export type OcrMode = 'auto' | 'always' | 'never';

export interface ExtractOptions {
  /** Skip detection and read the document as this family. */
  variant?: Variant;
  ocr?: OcrMode;
  /** Clock for `ingested_at` (tests pin it). */
  now?: () => Date;
}

const closers = new Set<() => Promise<void>>();

/** A source that holds workers or handles registers how to release them at the end of a run. */
export function onClose(fn: () => Promise<void>): void {
  closers.add(fn);
}

/** Releases whatever the extractors started (OCR workers), so the process can exit. */
export async function closeExtractors(): Promise<void> {
  for (const fn of closers) await fn();
}

type Extractor = (bytes: Uint8Array, file: string, opts: ExtractOptions) => Promise<ExtractedDocument>;

/** Source kind → extractor. PDF and OCR extractors load on first use, so text runs stay light. */
export const EXTRACTORS: Record<Kind, Extractor> = {
  text: async (bytes, file) => extractText(bytes, file),
  pdf: async (bytes, file, opts) => (await import('./pdfSource.js')).extractPdfSource(bytes, file, opts.ocr ?? 'auto'),
  scan: async (bytes, file) => (await import('./scanSource.js')).extractScanSource(bytes, file),
};

const NOTE_SEVERITY: Record<string, Finding['severity']> = {
  PDF_PAGE_UNREADABLE: 'warning', SCAN_PAGE_UNREADABLE: 'warning', SCAN_LOW_CONFIDENCE: 'warning', OCR_LOW_CONFIDENCE: 'warning',
  SCAN_SKEW_AT_LIMIT: 'warning', PDF_PAGE_NO_TEXT: 'warning', OCR_SUSPECT_COMPARATOR: 'warning',
};

export async function extractBytes(bytes: Uint8Array, file: string, opts: ExtractOptions = {}): Promise<ExtractResult> {
  const now = (opts.now ?? (() => new Date()))().toISOString();
  const docId = docIdOf(bytes);
  const kind = sniffKind(bytes);
  const base = {
    doc_id: docId, source_path: file, source_kind: kind as Kind, pipeline_version: PIPELINE_VERSION, ingested_at: now,
  };
  const failed = (error: string, pages = 0, detection: ExtractResult['document']['detection'] = null, variant: Variant | null = null): ExtractResult => ({
    document: { ...base, variant, pages, project_count: 0, status: 'failed', error, detection },
    projects: [], budget_lines: [], findings: [],
  });
  let doc: ExtractedDocument;
  try {
    doc = await EXTRACTORS[kind](bytes, file, opts);
  } catch (err) {
    return failed(err instanceof ExtractError ? err.message : `${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  // An image-only PDF read by OCR is a scan, whatever its container.
  base.source_kind = doc.kind;
  const det = opts.variant ? null : detect(doc.rows);
  const family = opts.variant ? familyOf(opts.variant) : det?.family;
  const detection = det ? { confidence: det.confidence, evidence: det.evidence, forced: false } : { confidence: 1, evidence: [`--variant ${opts.variant}`], forced: true };
  if (!family) {
    const guesses = det!.scores.filter((s) => s.score > 0).slice(0, 3).map((s) => `${s.variant} (score ${s.score})`).join(', ') || 'none';
    return failed(`${file}: unrecognised layout: no form family fits and the standard headings (项目名称, 一级指标/二级指标/三级指标, 指标值) are missing; best guesses: ${guesses}`, doc.pages, detection);
  }
  const ctx = new NormalizeContext(file, family.unit);
  for (const n of doc.notes) ctx.add(NOTE_SEVERITY[n.code] ?? 'info', n.code, n.message, n.location);
  const normalized = normalizeRows(doc.rows, family, ctx);
  if (normalized.projects.length === 0 && normalized.budget.lines.length === 0) {
    return failed(`${file}: recognised as ${family.variant} but no form or budget table could be read from it`, doc.pages, detection, family.variant);
  }
  validate(normalized, ctx);
  return {
    document: {
      ...base,
      variant: family.variant,
      pages: doc.pages,
      project_count: normalized.projects.length,
      status: isPartial(ctx.findings) ? 'partial' : 'ok',
      error: null,
      detection,
    },
    projects: normalized.projects,
    budget_lines: normalized.budget.lines,
    findings: ctx.findings,
  };
}

/** The record of a document whose extraction itself crashed (a worker died, say). */
export function failedResult(bytes: Uint8Array, file: string, err: unknown, now: () => Date = () => new Date()): ExtractResult {
  return {
    document: {
      doc_id: docIdOf(bytes), source_path: file, source_kind: sniffKind(bytes), variant: null, pages: 0, project_count: 0,
      status: 'failed', error: `${file}: ${err instanceof Error ? err.message : String(err)}`, pipeline_version: PIPELINE_VERSION,
      ingested_at: now().toISOString(), detection: null,
    },
    projects: [], budget_lines: [], findings: [],
  };
}

export async function extractFile(path: string, opts: ExtractOptions = {}): Promise<ExtractResult> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new ExtractError(path, 'io', `cannot read the file (${e.code ?? e.message})`);
  }
  return extractBytes(bytes, path, opts);
}
