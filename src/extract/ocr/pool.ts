// The engine a scan's cells are read with, by name (`--ocr-engine`).
import { DEFAULT_OCR_ENGINE, type OcrEngineName, type OcrPool } from './engine.js';
import { createPpOcrPool } from './ppocr.js';
import { createTesseractPool } from './tesseract.js';

/** `size` slots of the engine; each slot is about one core's worth of recognition. */
export function createOcrPool(size: number, engine: OcrEngineName = DEFAULT_OCR_ENGINE): Promise<OcrPool> {
  return engine === 'tesseract' ? createTesseractPool(size) : createPpOcrPool(size);
}
