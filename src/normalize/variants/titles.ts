// Title tests shared by the families: a title is a short line (no list numbering, not a
// sentence) that names a form.
import { fold } from '../../text/fold.js';

export const TITLE_MAX_LENGTH = 60;

export function titleMatching(re: RegExp): (text: string) => boolean {
  return (text) => {
    const f = fold(text);
    if (f.length > TITLE_MAX_LENGTH || /^[一二三四五六七八九十\d]+[、.]/.test(f) || /[。;]/.test(f)) return false;
    return re.test(f);
  };
}
