import { detectAll } from 'tinyld/light';
import type { Lang } from './languagePack';
import { LATVIAN_LETTERS_RE } from './text';

/** Latvian names English speakers write too ("at Bruņinieku iela 72B"): their letters say nothing about the language. */
// (letter lookarounds, not \b: \b knows only ASCII letters, so it never matched before "Č" or after "ā")
const PROPER_NAMES = /(?<!\p{L})(bruņinieku|rīg[aāu]s?|čiekurkaln(?:s|[aāu]s?)|latvij[aāu]s?|ķīpsal\p{L}*|jūrmal\p{L}*|daugavpil\p{L}*|liepāj\p{L}*|jelgav\p{L}*|ventspil\p{L}*)(?!\p{L})/giu;

function withoutProperNames(text: string): string {
  // a Latvian term quoted or in brackets inside an English sentence ("under guardianship (aizgādnība)")
  return text.replace(PROPER_NAMES, ' ').replace(/\([^()]{1,40}\)|“[^”]{1,60}”|"[^"]{1,60}"/gu, ' ');
}

export type LanguageSource = 'letters' | 'vocabulary' | 'detector' | 'kept';
export interface LanguageGuess { lang: Lang; source: LanguageSource }

/** How many of the message's words each language's model knows (0..1 each). */
export type VocabularyShare = (lang: Lang) => number;

/**
 * Latvian letters decide Latvian. Otherwise the words our models know decide when one language
 * clearly knows more of them; then a detector limited to Latvian and English; a message neither
 * settles (a number, "ok", "fax") keeps the conversation's language.
 */
export function identifyLanguage(text: string, current: Lang, share: VocabularyShare): LanguageGuess {
  if (LATVIAN_LETTERS_RE.test(withoutProperNames(text))) return { lang: 'lv', source: 'letters' };
  const lv = share('lv');
  const en = share('en');
  if (Math.abs(lv - en) >= 0.34) return { lang: lv > en ? 'lv' : 'en', source: 'vocabulary' };
  // a word or two the models do not know ("izlaist", "ok") is too little for a detector
  const words = text.split(/[^\p{L}]+/u).filter((w) => w.length > 1);
  const [best, next] = words.length >= 3 ? detectAll(text, { only: ['lv', 'en'] }) : [];
  const lean: Lang | undefined = lv === en ? undefined : lv > en ? 'lv' : 'en';
  // The light detector mistakes plain Latvian for English with low confidence ("labi, paldies,
  // tas ir viss" -> en 0.1): against the vocabulary's lean it must be sure.
  const needed = lean && best?.lang !== lean ? 0.5 : 0.1;
  if (best && (best.lang === 'lv' || best.lang === 'en') && best.accuracy >= needed && (!next || best.accuracy > 5 * next.accuracy)) {
    return { lang: best.lang, source: 'detector' };
  }
  if (lv !== en) return { lang: lv > en ? 'lv' : 'en', source: 'vocabulary' };
  return { lang: current, source: 'kept' };
}
