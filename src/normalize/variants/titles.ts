// Title tests shared by the families: a title is a short line (no list numbering, not a
// sentence) that names a form.
import { fold } from '../../text/fold.js';

export const TITLE_MAX_LENGTH = 60;

export function titleMatching(re: RegExp): (text: string) => boolean {
  // Asked of every one-cell line of every document: each text is tested once.
  const seen = new Map<string, boolean>();
  return (text) => {
    if (text.length > TITLE_MAX_LENGTH * 2) return false;
    let is = seen.get(text);
    if (is === undefined) {
      // A remark in brackets after the title (`…申报表（运转类…）`) is not part of it.
      const f = fold(text).replace(/[(（][^()（）]*[)）]$/, '');
      is = !(f.length > TITLE_MAX_LENGTH || /^[一二三四五六七八九十\d]+[、.]/.test(f) || /[。;]/.test(f)) && re.test(f);
      if (seen.size > 20_000) seen.clear();
      seen.set(Buffer.from(text, 'utf8').toString('utf8'), is);
    }
    return is;
  };
}
