// The options a document is read with, shared by the extractors and the pipeline around them.
export type OcrMode = 'auto' | 'always' | 'never';

/** How one PDF or scan is read by an Extractors set. */
export interface ReadOptions {
  ocr: OcrMode;
  /** Called as each page is started (a watchdog times pages by it). */
  onPage?: (page: number) => void;
}
