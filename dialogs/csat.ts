import { foldDiacritics, nfcLower } from '../nlu/text';

const WORDS: Array<[RegExp, number]> = [
  [/\b(loti slikt\w*|briesmig\w*|sausmig\w*|very (bad|poor)|terrible|awful|horrible)\b/, 1],
  [/\b(loti lab\w*|lielisk\w*|izcil\w*|teicam\w*|super|very good|excellent|great|perfect|amazing)\b/, 5],
  [/\b(slikt\w*|bad|poor)\b/, 2],
  [/\b(videj\w*|normal\w*|ok|okay|so so|average|fine)\b/, 3],
  [/\b(lab\w*|good|nice)\b/, 4],
];
const NUMBER_WORDS: Record<string, number> = {
  viens: 1, viena: 1, divi: 2, divas: 2, tris: 3, cetri: 4, cetras: 4, pieci: 5, piecas: 5,
  one: 1, two: 2, three: 3, four: 4, five: 5,
};

/** A satisfaction score from what people type: "5", "pieci", "★★★★★", "4/5", "very good". */
export function parseCsat(text: string): number | undefined {
  const stars = (text.match(/[★⭐]/gu) ?? []).length;
  if (stars >= 1 && stars <= 5) return stars;
  const t = foldDiacritics(nfcLower(text)).trim();
  const digit = /^(?:\D{0,20}\s)?([1-5])(?:\s*(?:\/|no|of|out of)\s*5)?\s*(?:[.!]|\s*(?:zvaigzn\w*|stars?|points?|punkt\w*))?$/.exec(t);
  if (digit) return Number(digit[1]);
  const word = /^[\p{L}\s]*$/u.test(t) ? t.split(/\s+/).map((w) => NUMBER_WORDS[w]).find((n) => n !== undefined) : undefined;
  if (word !== undefined && t.split(/\s+/).length <= 3) return word;
  if (t.split(/\s+/).length <= 4) for (const [re, n] of WORDS) if (re.test(t)) return n;
  return undefined;
}

const SKIP = /^(izlaist|izlaidu|nav|nekas|ne|ne paldies|ne, paldies|skip|no|nothing|no thanks|no, thanks|nope|-)$/;

export function isSkip(text: string): boolean {
  return SKIP.test(foldDiacritics(nfcLower(text)).replace(/[.!]+$/, '').trim());
}
