// One page image → its layout, before any text is read: deskew, rules, ruled grids, and the
// text lines outside them. Everything here is pixels in, geometry out.
import { segmentsToGrids } from '../grid/lattice.js';
import type { Grid } from '../grid/types.js';
import { grayToBinary, grayToHistogram, grayToRuleBinary, histogramToOtsuThreshold } from './binarize.js';
import { binaryToInkSample, grayToDeskewed, grayToInkSample, inkSampleToSkewAngle, type InkSample } from './deskew.js';
import type { BinaryImage, GrayImage, PxRect } from './image.js';
import { binaryToRules, wipeRules, type RuleSettings, type Rules } from './rules.js';
import { inchesToPx, type OcrSettings } from './settings.js';
import type { StampInk } from './stamps.js';
import { binaryToTextLines, wipeSpecks, type TextLine, type TextLineSettings } from './textLines.js';

export interface PageLayout {
  /** The deskewed page; every box below is in its pixel coordinates. */
  gray: GrayImage;
  skewDeg: number;
  /** Text ink: binarized, rules and specks removed. */
  ink: BinaryImage;
  rules: Rules;
  grids: Grid[];
  /** Text lines outside every grid, top to bottom. */
  lines: TextLine[];
  /** Where stamp ink was dropped out of the page as loaded, and the turn from it to `gray` (null: no stamp ink). */
  stamps: { ink: StampInk; width: number; height: number; turnDeg: number } | null;
}

export function textLineSettingsOf(s: OcrSettings, dpi: number): TextLineSettings {
  return {
    minLineHeight: inchesToPx(s.minTextHeightIn, dpi),
    minRowInk: s.minRowInk,
    speck: inchesToPx(s.speckIn, dpi),
    wideGap: s.wideGapLineHeights,
  };
}

export function ruleSettingsOf(s: OcrSettings, dpi: number): RuleSettings {
  return {
    minLength: inchesToPx(s.ruleMinLengthIn, dpi),
    shortLength: inchesToPx(s.ruleShortLengthIn, dpi),
    gap: inchesToPx(s.ruleGapIn, dpi),
    maxThickness: inchesToPx(s.ruleMaxThicknessIn, dpi),
    neighbourGap: inchesToPx(s.ruleNeighbourGapIn, dpi),
    maxNeighbourInk: s.ruleMaxNeighbourInk,
    snap: inchesToPx(s.snapIn, dpi),
  };
}

/** Grid boxes grown by `margin`, so text touching a table's outer rule is not read twice. */
function withoutGrids(ink: BinaryImage, grids: readonly Grid[], margin: number): BinaryImage {
  if (grids.length === 0) return ink;
  const data = new Uint8Array(ink.data);
  for (const g of grids) {
    const x0 = Math.max(0, Math.floor(g.box[0] - margin));
    const x1 = Math.min(ink.width, Math.ceil(g.box[2] + margin));
    const y0 = Math.max(0, Math.floor(g.box[1] - margin));
    const y1 = Math.min(ink.height, Math.ceil(g.box[3] + margin));
    for (let y = y0; y < y1; y++) data.fill(0, y * ink.width + x0, y * ink.width + x1);
  }
  return { width: ink.width, height: ink.height, data };
}

/**
 * The ink the skew is measured on, as `grayToBinary` would binarize it. Otsu's ink is sampled
 * straight from the gray page (its count read off the histogram): no binary page is built.
 */
function pageToInkSample(page: GrayImage, hist: Float64Array, s: OcrSettings): InkSample {
  if (s.binarize === 'sauvola') return binaryToInkSample(grayToBinary(page, s));
  const threshold = histogramToOtsuThreshold(hist);
  let inkCount = 0;
  for (let v = 0; v <= threshold; v++) inkCount += hist[v]!;
  return grayToInkSample(page, threshold, inkCount);
}

export function pageImageToLayout(page: GrayImage, s: OcrSettings): PageLayout {
  const dpi = page.dpi;
  const pageHist = grayToHistogram(page);
  const skewDeg = inkSampleToSkewAngle(pageToInkSample(page, pageHist, s), s.maxSkewDeg, s.skewStepDeg);
  const gray = Math.abs(skewDeg) >= s.minSkewDeg ? grayToDeskewed(page, skewDeg) : page;
  // One histogram of the page as read serves both of its binarizations (rules, text).
  const hist = gray === page ? pageHist : grayToHistogram(gray);
  const snap = inchesToPx(s.snapIn, dpi);
  const rules = binaryToRules(grayToRuleBinary(gray, s.ruleContrast, hist), ruleSettingsOf(s, dpi));
  const grids = segmentsToGrids(rules.horizontal, rules.vertical, {
    snapTolerance: snap,
    joinTolerance: snap,
    intersectionTolerance: snap,
    minRuleLength: inchesToPx(s.ruleShortLengthIn, dpi),
    openSideOverhang: 2 * snap,
  });
  // The text binarization is a fresh image of this call's own: rules and specks go in place.
  const ink = grayToBinary(gray, s, hist);
  wipeRules(ink, rules.mask);
  wipeSpecks(ink, inchesToPx(s.speckIn, dpi));
  const whole: PxRect = { x0: 0, y0: 0, x1: gray.width, y1: gray.height };
  const lines = binaryToTextLines(withoutGrids(ink, grids, snap), whole, textLineSettingsOf(s, dpi));
  const stamps = page.stamps ? { ink: page.stamps, width: page.width, height: page.height, turnDeg: gray === page ? 0 : skewDeg } : null;
  return { gray, skewDeg, ink, rules, grids, lines, stamps };
}
