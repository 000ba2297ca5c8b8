// A page's true resolution, from the page rather than the file. Many PDFs say 96 dpi for a
// 300 dpi scan (what img2pdf and phone apps write when the image carries no density), and many
// images say nothing: every inch-based setting would then be off by three. A scanned form is a
// sheet of a standard paper size, so its pixel size says its resolution; the file's value is
// kept when it agrees with that, or when the page fits no paper size at all (a cropped photo).

/** Paper sizes forms are printed on, inches (portrait; landscape is tried too). */
export const PAPER_SIZES: readonly { name: string; w: number; h: number }[] = [
  { name: 'A4', w: 8.27, h: 11.69 },
  { name: 'A3', w: 11.69, h: 16.54 },
  { name: 'A5', w: 5.83, h: 8.27 },
  { name: 'B5', w: 6.93, h: 9.84 },
  { name: '16K', w: 7.68, h: 10.63 },
  { name: 'Letter', w: 8.5, h: 11 },
  { name: 'Legal', w: 8.5, h: 14 },
];

/** Resolutions scanners and renderers use: an estimate this close to one is that one. */
export const COMMON_DPIS: readonly number[] = [100, 120, 150, 200, 240, 250, 300, 360, 400, 600];

export interface ResolutionSettings {
  /** How far the width's and the height's resolution may differ for a paper size to fit (a scan's margins, a skew's grown canvas). */
  paperTolerance: number;
  /** An estimate within this share of a common resolution is that resolution. */
  snapTolerance: number;
  /** The file's value agrees with the page when within this share of the estimate. */
  agreeTolerance: number;
  /** Estimates outside this range are no resolution a scan has. */
  minDpi: number;
  maxDpi: number;
}

export const DEFAULT_RESOLUTION_SETTINGS: Readonly<ResolutionSettings> = Object.freeze({
  paperTolerance: 0.03,
  snapTolerance: 0.04,
  agreeTolerance: 0.06,
  minDpi: 100,
  maxDpi: 1200,
});

export interface PaperFit {
  paper: string;
  dpi: number;
}

/**
 * The resolutions at which a page of `width` × `height` pixels is a standard sheet, best fit
 * first. A scanned or skewed page is a little larger than its sheet, so the fit allows a few
 * per cent either way; the estimate is snapped to a common resolution when one is that near.
 */
export function pageSizeToPaperFits(width: number, height: number, s: ResolutionSettings = DEFAULT_RESOLUTION_SETTINGS): PaperFit[] {
  const fits: (PaperFit & { misfit: number })[] = [];
  for (const p of PAPER_SIZES) {
    for (const [pw, ph, turned] of [[p.w, p.h, false], [p.h, p.w, true]] as const) {
      const dw = width / pw;
      const dh = height / ph;
      const mean = (dw + dh) / 2;
      const misfit = Math.abs(dw - dh) / mean;
      if (misfit > s.paperTolerance || mean < s.minDpi || mean > s.maxDpi) continue;
      const near = COMMON_DPIS.find((d) => Math.abs(mean - d) / d <= s.snapTolerance);
      fits.push({ paper: turned ? `${p.name} landscape` : p.name, dpi: near ?? Math.round(mean), misfit: misfit + (near ? 0 : 1) });
    }
  }
  return fits.sort((a, b) => a.misfit - b.misfit).map(({ paper, dpi }) => ({ paper, dpi }));
}

export interface ResolutionChoice {
  dpi: number;
  /** Why, when the file's value was not taken (for the finding); null when it was. */
  guessed: string | null;
}

/**
 * The resolution to read a page at. `stated`: what the file says (null when nothing).
 * `fallback`: the resolution assumed for a page that says nothing and fits no paper size.
 */
export function pageToResolution(width: number, height: number, stated: number | null, fallback: number, s: ResolutionSettings = DEFAULT_RESOLUTION_SETTINGS): ResolutionChoice {
  const fits = pageSizeToPaperFits(width, height, s);
  const agrees = (dpi: number) => fits.some((f) => Math.abs(f.dpi - dpi) / f.dpi <= s.agreeTolerance);
  const inches = (dpi: number) => `${(width / dpi).toFixed(1)} × ${(height / dpi).toFixed(1)} in`;
  if (stated !== null && (fits.length === 0 || agrees(stated))) return { dpi: stated, guessed: null };
  const best = fits[0];
  if (!best) return { dpi: fallback, guessed: `the file states no resolution; ${fallback} dpi assumed (the page fits no standard paper size)` };
  const why = `${width} × ${height} pixels is ${best.paper} at ${best.dpi} dpi`;
  return {
    dpi: best.dpi,
    guessed: stated === null
      ? `the file states no resolution; read at ${best.dpi} dpi: ${why}`
      : `the file says ${stated} dpi (a page of ${inches(stated)}); read at ${best.dpi} dpi: ${why}`,
  };
}
