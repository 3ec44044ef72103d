/** Language-neutral text stages: every function is pure. */

const LATVIAN_FOLD: Record<string, string> = {
  ā: 'a', č: 'c', ē: 'e', ģ: 'g', ī: 'i', ķ: 'k', ļ: 'l', ņ: 'n', š: 's', ū: 'u', ž: 'z',
  // letters people paste from neighbouring keyboards
  ō: 'o', ŗ: 'r', ä: 'a', ö: 'o', ü: 'u', õ: 'o',
};
const FOLD_RE = new RegExp(`[${Object.keys(LATVIAN_FOLD).join('')}]`, 'g');
export const LATVIAN_LETTERS_RE = /[āčēģīķļņšūž]/i;

export function nfcLower(text: string): string {
  return text.normalize('NFC').toLowerCase();
}

export function foldDiacritics(text: string): string {
  return text.replace(FOLD_RE, (ch) => LATVIAN_FOLD[ch] ?? ch);
}

/** Splits on anything that is not a Unicode letter or digit (ASCII classes would split "izziņa"). */
export function tokenize(text: string): string[] {
  return text.split(/[^\p{L}\p{N}]+/u).filter((t) => t.length > 0);
}
