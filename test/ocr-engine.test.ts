// The PP-OCR engine's pure parts: the dictionary's classes, greedy CTC decoding, the model input.
import { describe, expect, it } from 'vitest';
import { isOcrEngineName, OCR_ENGINES } from '../src/extract/ocr/engine.js';
import { bestToChars, dictionaryToClasses, frameToInput, stepsToBest } from '../src/extract/ocr/ppocr.js';

/** A T×C softmax whose step t puts probability p on class cls[t] and the rest evenly elsewhere. */
function probs(cls: number[], classes: number, p = 0.9): Float32Array {
  const out = new Float32Array(cls.length * classes).fill((1 - p) / (classes - 1));
  cls.forEach((c, t) => { out[t * classes + c] = p; });
  return out;
}

describe('OCR engines', () => {
  it('names its engines, and nothing else', () => {
    expect([...OCR_ENGINES].sort()).toEqual(['ppocr', 'tesseract']);
    expect(isOcrEngineName('ppocr')).toBe(true);
    expect(isOcrEngineName('paddle')).toBe(false);
  });

  it('numbers the classes: blank, the dictionary in order, then a space', () => {
    expect(dictionaryToClasses('一\n二\r\n%\n')).toEqual(['', '一', '二', '%', ' ']);
  });

  it('decodes CTC greedily: repeats merged, blanks dropped, a blank between repeats keeps both', () => {
    // classes: 0 blank, 1 '9', 2 '5', 3 '%'
    const steps = [2, 2, 0, 1, 1, 0, 1, 3, 0];
    const best = stepsToBest(probs(steps, 4), steps.length, 4);
    const out = bestToChars(best.cls, best.p);
    expect(out.map((c) => c.cls)).toEqual([2, 1, 1, 3]);
    expect(out.map((c) => [c.from, c.to])).toEqual([[0, 2], [3, 5], [6, 7], [7, 8]]);
    expect(out[0]!.p).toBeCloseTo(0.9, 5);
  });

  it('splits decoding where the recognition thread hands over: the best class of each step, then repeats merged', () => {
    const steps = [0, 3, 3, 0, 2];
    const best = stepsToBest(probs(steps, 4, 0.7), steps.length, 4);
    expect([...best.cls]).toEqual(steps);
    expect(best.p[1]).toBeCloseTo(0.7, 5);
    // A repeat keeps the surer of its steps.
    const out = bestToChars(Int32Array.from([3, 3, 0, 2]), Float32Array.from([0.6, 0.8, 0.9, 0.5]));
    expect(out.map((c) => [c.cls, c.from, c.to])).toEqual([[3, 0, 2], [2, 3, 4]]);
    expect(out[0]!.p).toBeCloseTo(0.8, 5);
  });

  it('feeds the model 48 rows, width to scale, ink −1 and paper +1 in three equal channels', () => {
    const img = { width: 20, height: 10, dpi: 300, data: new Uint8Array(200).fill(255) };
    for (let x = 0; x < 10; x++) for (let y = 0; y < 10; y++) img.data[y * 20 + x] = 0;
    const { data, width } = frameToInput(img, { x0: 0, y0: 0, x1: 20, y1: 10 });
    expect(width).toBe(96);
    const plane = 48 * width;
    expect(data).toHaveLength(3 * plane);
    expect(data[24 * width + 10]).toBeCloseTo(-1, 5);
    expect(data[24 * width + 90]).toBeCloseTo(1, 5);
    expect(data[plane + 24 * width + 10]).toBe(data[24 * width + 10]);
    // Outside the image is paper.
    const beyond = frameToInput(img, { x0: 0, y0: -10, x1: 20, y1: 10 });
    expect(beyond.data[0]).toBeCloseTo(1, 5);
  });
});
