// One page image → its layout, before any text is read: deskew, rules, ruled grids, and the
// text lines outside them. Everything here is pixels in, geometry out.
import { segmentsToGrids } from '../grid/lattice.js';
import type { Grid } from '../grid/types.js';
import { grayToBinary, grayToRuleBinary } from './binarize.js';
import { binaryToSkewAngle, grayToDeskewed } from './deskew.js';
import type { BinaryImage, GrayImage, PxRect } from './image.js';
import { binaryToRules, binaryWithoutRules, type RuleSettings, type Rules } from './rules.js';
import { inchesToPx, type OcrSettings } from './settings.js';
import { binaryToTextLines, binaryWithoutSpecks, type TextLine, type TextLineSettings } from './textLines.js';

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

export function pageImageToLayout(page: GrayImage, s: OcrSettings): PageLayout {
  const dpi = page.dpi;
  const skewDeg = binaryToSkewAngle(grayToBinary(page, s), s.maxSkewDeg, s.skewStepDeg);
  const gray = Math.abs(skewDeg) >= s.minSkewDeg ? grayToDeskewed(page, skewDeg) : page;
  const snap = inchesToPx(s.snapIn, dpi);
  const rules = binaryToRules(grayToRuleBinary(gray, s.ruleContrast), ruleSettingsOf(s, dpi));
  const grids = segmentsToGrids(rules.horizontal, rules.vertical, {
    snapTolerance: snap,
    joinTolerance: snap,
    intersectionTolerance: snap,
    minRuleLength: inchesToPx(s.ruleShortLengthIn, dpi),
    openSideOverhang: 2 * snap,
  });
  const ink = binaryWithoutSpecks(binaryWithoutRules(grayToBinary(gray, s), rules.mask), inchesToPx(s.speckIn, dpi));
  const whole: PxRect = { x0: 0, y0: 0, x1: gray.width, y1: gray.height };
  const lines = binaryToTextLines(withoutGrids(ink, grids, snap), whole, textLineSettingsOf(s, dpi));
  return { gray, skewDeg, ink, rules, grids, lines };
}
