import type { LanguagePack } from '../languagePack';
import { foldDiacritics, nfcLower } from '../text';
import { stemLatvian } from './stemmer';

const STOPWORDS = [
  'un', 'vai', 'ar', 'uz', 'no', 'pie', 'par', 'pa', 'kā', 'ka', 'es', 'man', 'mani', 'mums', 'jūs', 'jus', 'jums',
  'jūsu', 'jusu', 'tas', 'tā', 'ta', 'tie', 'to', 'tam', 'ir', 'būs', 'bus', 'bija', 'lai', 'bet', 'arī', 'ari',
  'lūdzu', 'ludzu', 'sveiki', 'labdien', 'labs', 'kas', 'kur', 'kad', 'cik', 'kāpēc', 'kapec', 'kādi', 'kadi', 'kāds',
  'kads', 'kāda', 'kada', 'vēlos', 'velos', 'gribu', 'vajag', 'varu', 'var', 'varat', 'varētu', 'varetu', 'būtu',
  'butu', 'te', 'tur', 'šeit', 'seit', 'jā', 'ja', 'nē', 'ne', 'tikai', 'vēl', 'vel', 'lūdzam', 'sakiet', 'pasakiet',
  // verbs that stand for any errand ("vai to var nokārtot internetā?"): they say nothing of what is asked
  'nokārtot', 'kārtot', 'izdarīt', 'darīt', 'aiziet',
  // emphasis ("kur tieši?")
  'tieši', 'vispār',
  // "ar ieročiem saistītus pakalpojumus": related to, which says nothing of what is asked
  'saistīts', 'saistīta', 'saistītu', 'saistītus', 'saistītas', 'saistītie', 'saistītiem', 'saistīto', 'saistītā',
];

/** Doubled vowels stand in for long ones on keyboards without Latvian letters ("sodaamiibas"). */
function collapseDoubledVowels(text: string): string {
  return text.replace(/([aeiu])\1+/g, '$1');
}

/**
 * The Centre's full name says "the Centre": "Iekšlietu ministrijas Informācijas centra mērķis" asks
 * what "centra mērķis" asks, and the ministry's name must not pull the answer to the facts that
 * mention the ministry; "Informācijas centrs" alone is the same name. (On folded text.)
 */
function centreName(text: string): string {
  return text.replace(/\b(?:(?:iem|iekslietu\s+ministrij\w*)\s+)?informacij\w*\s+(?=centr)/g, '');
}

export const latvian: LanguagePack = {
  code: 'lv',
  normalize: (text) => centreName(collapseDoubledVowels(foldDiacritics(nfcLower(text)))),
  stem: stemLatvian,
  stopwords: new Set(STOPWORDS.map((w) => foldDiacritics(w))),
};
