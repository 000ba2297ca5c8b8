// pdf.js, loaded when the first PDF is opened and not before. Its legacy build (the one that runs
// on Node 20) carries core-js polyfills, and one of them replaces Array.prototype.push in the
// whole process with a JavaScript version (forced on Node 20's V8 for an edge case of arrays
// near 2^32 elements that nothing here builds): every push of the text path, the normalizer and
// the loader paid for it. A process that reads only text dumps never loads pdf.js; one that does
// gets the engine's own push back once each pdf.js module is in.
import type * as Pdfjs from 'pdfjs-dist/legacy/build/pdf.mjs';

export type PdfjsModule = typeof Pdfjs;

const NATIVE_PUSH = Array.prototype.push;

/** Imports `specifier` and puts back the built-ins its polyfills replaced where ours are better. */
export async function importKeepingBuiltins<T>(specifier: string): Promise<T> {
  const mod = (await import(specifier)) as T;
  if (Array.prototype.push !== NATIVE_PUSH) {
    Object.defineProperty(Array.prototype, 'push', { value: NATIVE_PUSH, writable: true, configurable: true, enumerable: false });
  }
  return mod;
}

let pdfjs: Promise<PdfjsModule> | undefined;

/**
 * The pdf.js API with its worker module already in (Node runs the worker in this thread, and
 * pdf.js takes it from `globalThis.pdfjsWorker` instead of importing it at the first document,
 * where its polyfills would replace push again).
 */
export function loadPdfjs(): Promise<PdfjsModule> {
  pdfjs ??= (async () => {
    const api = await importKeepingBuiltins<PdfjsModule>('pdfjs-dist/legacy/build/pdf.mjs');
    const g = globalThis as { pdfjsWorker?: unknown };
    g.pdfjsWorker ??= await importKeepingBuiltins<unknown>('pdfjs-dist/legacy/build/pdf.worker.mjs');
    return api;
  })();
  return pdfjs;
}

/** pdf.js constants read by code that must not load it (the values of pdfjs-dist 5; a test checks them). */
export const PDFJS_CONSTANTS = Object.freeze({
  PasswordResponses: Object.freeze({ NEED_PASSWORD: 1, INCORRECT_PASSWORD: 2 }),
  ImageKind: Object.freeze({ GRAYSCALE_1BPP: 1, RGB_24BPP: 2, RGBA_32BPP: 3 }),
  OPS: Object.freeze({
    save: 10, restore: 11, transform: 12, showText: 44, showSpacedText: 45, shadingFill: 62,
    paintFormXObjectBegin: 74, paintImageMaskXObject: 83, paintImageXObject: 85, paintInlineImageXObject: 86,
    paintInlineImageXObjectGroup: 87, paintImageXObjectRepeat: 88, paintSolidColorImageMask: 90, constructPath: 91,
  }),
});
