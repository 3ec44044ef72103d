import type { Lang } from './languagePack';
import { foldDiacritics, nfcLower } from './text';

/**
 * An explicit request to change the conversation's language ("English please", "latviski",
 * "vai varam runāt angliski?"). Only short messages count, so that "do you have the form in
 * English?" is a question, not a switch.
 */
const TO_EN = /\b(english|angliski|anglu valod\w*|in english|eng)\b/;
const TO_LV = /\b(latviski|latviesu valod\w*|latvian|in latvian)\b/;
const SWITCH_CONTEXT = /\b(please|pls|speak|talk|switch|change|language|lets|can we|could we|answer|reply|runa\w*|parej\w*|ludzu|gribu|varam|valod\w*|lv|en)\b/;

export function detectLanguageSwitch(text: string): Lang | undefined {
  const t = foldDiacritics(nfcLower(text)).replace(/[^\p{L}\p{N}\s]/gu, ' ').replace(/\s+/g, ' ').trim();
  const words = t.split(' ').filter(Boolean);
  if (words.length === 0 || words.length > 7) return undefined;
  const en = TO_EN.test(t);
  const lv = TO_LV.test(t);
  if (en === lv) return undefined;
  // "vai izziņu izsniedz arī angļu valodā?" asks about a document's language
  if (/\b(izzin\w*|dokument\w*|certificat\w*|document\w*|form\w*|veidlap\w*|izsniedz\w*|issue\w*|iesniegum\w*|tulkot\w*|translat\w*)\b/.test(t)) return undefined;
  if (words.length > 2 && !SWITCH_CONTEXT.test(t)) return undefined;
  return en ? 'en' : 'lv';
}
