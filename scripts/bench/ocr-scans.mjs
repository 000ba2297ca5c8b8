// The fixture scans and the text-layer PDF pages each was printed from (as scripts/scans/make-scans.mjs made them).
const seed = (name, renderer) => `fixtures/pdf/${name}.${renderer}.pdf`;
const variation = (name, renderer) => `fixtures/pdf-variations/${name}.${renderer}.pdf`;
const MIANYANG = seed('000_6f0229354a83724c', 'libreoffice');

export const SCANS = [
  { file: 'form-300.pdf', source: MIANYANG, pages: [2] },
  { file: 'form-200.pdf', source: MIANYANG, pages: [1, 2] },
  { file: 'form-200.png', source: MIANYANG, pages: [2] },
  { file: 'form-200.tif', source: MIANYANG, pages: [1, 2] },
  { file: 'luan-300.pdf', source: seed('001_5e2b26b8bb821a85', 'chromium'), pages: [1, 2] },
  { file: 'suining-300.pdf', source: seed('002_3903fb4e2e6b4dba', 'libreoffice'), pages: [1, 2] },
  { file: 'qinyang-300.pdf', source: seed('003_3f6deaa4e70e764f', 'libreoffice'), pages: [21, 22] },
  { file: 'hongshan-300.pdf', source: seed('004_24ca01b87d61eeb2', 'chromium'), pages: [1, 2] },
  { file: 'var-mianyang-300.pdf', source: variation('mianyang_a_agriculture', 'libreoffice'), pages: [1, 2] },
  { file: 'var-luan-300.pdf', source: variation('luan_a_education', 'chromium'), pages: [1] },
  { file: 'var-suining-300.pdf', source: variation('suining_a_civil', 'libreoffice'), pages: [1] },
  { file: 'var-qinyang-300.pdf', source: variation('qinyang_b_civil', 'libreoffice'), pages: [3] },
  { file: 'var-hongshan-300.pdf', source: variation('hongshan_a_civil', 'chromium'), pages: [1, 2] },
];
