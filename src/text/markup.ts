// Debris that document converters leave in cell text: HTML tags and entities, inline LaTeX.

const ENTITIES: Record<string, string> = { nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

const LATEX: [RegExp, string][] = [
  [/\\geq?(?![a-z])/g, '≥'],
  [/\\leq?(?![a-z])/g, '≤'],
  [/\\neq?(?![a-z])/g, '≠'],
  [/\\times(?![a-z])/g, '×'],
  [/\\cdot(?![a-z])/g, '·'],
  [/\\pm(?![a-z])/g, '±'],
  [/\\%/g, '%'],
  [/\\,|\\;|\\!|\\ /g, ''],
  [/\\text\{([^}]*)\}/g, '$1'],
];

/** `$\geq 95\%$` → `≥95%`; only `$…$` spans that contain a backslash command are touched. */
export function latexToText(text: string): string {
  if (!text.includes('$')) return text;
  return text.replace(/\$([^$\n]*\\[^$\n]*)\$/g, (_m, body: string) => {
    let out = body;
    for (const [re, rep] of LATEX) out = out.replace(re, rep);
    return out.replace(/[{}]/g, '').replace(/\s+/g, '');
  });
}

/** Strips tags (`<p>`, `</p>`, `<br/>`) and decodes the few entities converters emit. */
export function stripHtml(text: string): string {
  if (!text.includes('<') && !text.includes('&')) return text;
  return text
    .replace(/<br\s*\/?>/gi, ' ')
    .replace(/<\/?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?\/?>/g, '')
    .replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (m, e: string) => {
      if (e[0] === '#') {
        const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        return Number.isFinite(code) ? String.fromCodePoint(code) : m;
      }
      return ENTITIES[e.toLowerCase()] ?? m;
    });
}

export function cleanCellText(text: string): string {
  return latexToText(stripHtml(text)).trim();
}
