// One file, start to end without a database: source → extractor → rows → variant detector →
// normalizer → validator → records. Every failure becomes a `failed` document with its reason.
import { ExtractError } from '../extract/errors.js';
import type { ExtractedDocument } from '../extract/rows.js';
import { extractText } from '../extract/text.js';
import { detect } from '../detect/detector.js';
import { DEFAULT_LIMITS, LimitError, OverLimit, checkLimit, type Limits } from '../limits.js';
import { docIdOf } from '../model/ids.js';
import type { ExtractResult, Finding, Variant } from '../model/schema.js';
import { NormalizeContext } from '../normalize/context.js';
import { normalizeRows } from '../normalize/engine.js';
import { familyOf } from '../normalize/variants/index.js';
import { formKeyOf } from '../model/formKey.js';
import { partialReasons, tieFindings } from '../validate/findingTargets.js';
import { validate } from '../validate/index.js';
import { PIPELINE_VERSION } from '../version.js';
import { inProcessExtractors, type Extractors } from './extractors.js';
import { Interrupted } from './interrupted.js';
import type { OcrMode } from './options.js';
import { readInput } from './readInput.js';
import { sniffKind, type Kind } from './sniff.js';

export type { OcrMode } from './options.js';

export interface ExtractOptions {
  /** Skip detection and read the document as this family. */
  variant?: Variant;
  ocr?: OcrMode;
  /** Clock for `ingested_at` (tests pin it). */
  now?: () => Date;
  /**
   * What reads PDFs and scans: a run builds one set at its start and closes it at its end.
   * Without one, a set is made in this process for the one document and closed after it.
   */
  extractors?: Extractors;
  /** Limits of this document (default: the extractors', else DEFAULT_LIMITS). */
  limits?: Limits;
  /** Called as each page of a PDF or scan is started (a worker reports it to its watchdog). */
  onPage?: (page: number) => void;
}


/** The message a failed document carries: always the file's name first, then why. */
export function failureMessage(err: unknown, file: string): string {
  if (err instanceof OverLimit) return new LimitError(file, err).message;
  if (err instanceof ExtractError) return err.message;
  return `${file}: ${err instanceof Error ? err.message : String(err)}`;
}

async function readRows(kind: Kind, bytes: Uint8Array, file: string, opts: ExtractOptions, limits: Limits): Promise<ExtractedDocument> {
  if (kind === 'text') return extractText(bytes, file, limits);
  const ro = { ocr: opts.ocr ?? 'auto', ...(opts.onPage ? { onPage: opts.onPage } : {}) } as const;
  if (opts.extractors) return opts.extractors.read(kind, bytes, file, ro);
  const own = inProcessExtractors({ limits });
  try {
    return await own.read(kind, bytes, file, ro);
  } finally {
    await own.close();
  }
}

export async function extractBytes(bytes: Uint8Array, file: string, opts: ExtractOptions = {}): Promise<ExtractResult> {
  const now = (opts.now ?? (() => new Date()))().toISOString();
  const limits = opts.limits ?? opts.extractors?.limits;
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
    const l = limits ?? DEFAULT_LIMITS;
    checkLimit(l, 'inputBytes', bytes.length, `the file is ${bytes.length} bytes`);
    // A set that reads elsewhere (worker processes) reads the whole document there.
    if (opts.extractors?.extractDocument) {
      return await opts.extractors.extractDocument(bytes, file, { ocr: opts.ocr ?? 'auto', ...(opts.variant ? { variant: opts.variant } : {}), nowIso: now });
    }
    doc = await readRows(kind, bytes, file, opts, l);
  } catch (err) {
    // A stopped run is not the document's failure: nothing is stored, the next run reads it.
    if (err instanceof Interrupted) throw err;
    return failed(failureMessage(err, file));
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
  for (const n of doc.notes) ctx.add(n.code, n.message, n.location);
  const normalized = normalizeRows(doc.rows, family, ctx);
  if (normalized.projects.length === 0 && normalized.budget.lines.length === 0) {
    return failed(`${file}: recognised as ${family.variant} but no form or budget table could be read from it`, doc.pages, detection, family.variant);
  }
  validate(normalized, ctx);
  for (const p of normalized.projects) p.form_key = formKeyOf(p);
  const findings = tieFindings(normalized.projects, ctx.findings);
  const reasons = partialReasons(findings);
  return {
    document: {
      ...base,
      variant: family.variant,
      pages: doc.pages,
      project_count: normalized.projects.length,
      status: reasons.length > 0 ? 'partial' : 'ok',
      error: null,
      ...(reasons.length > 0 ? { partial_reasons: reasons } : {}),
      detection,
      ...(doc.ocrEngine ? { ocr_engine: doc.ocrEngine } : {}),
    },
    projects: normalized.projects,
    budget_lines: normalized.budget.lines,
    findings,
  };
}

/** The record of a document that could not be read at all (over the size limit, say): no records, its reason. */
export function failedResult(docId: string, kind: Kind, file: string, error: string, now: () => Date = () => new Date()): ExtractResult {
  return {
    document: {
      doc_id: docId, source_path: file, source_kind: kind, variant: null, pages: 0, project_count: 0,
      status: 'failed', error, pipeline_version: PIPELINE_VERSION,
      ingested_at: now().toISOString(), detection: null,
    },
    projects: [], budget_lines: [], findings: [],
  };
}

export async function extractFile(path: string, opts: ExtractOptions = {}): Promise<ExtractResult> {
  const limits = opts.limits ?? opts.extractors?.limits;
  const input = await readInput(path, limits);
  if (input.kind === 'error') throw new ExtractError(path, 'io', input.error);
  if (input.kind === 'skipped') throw new ExtractError(path, 'io', input.reason);
  if (input.kind === 'too-large') return failedResult(input.docId, sniffKind(input.head), path, input.error, opts.now);
  return extractBytes(input.bytes, path, opts);
}
