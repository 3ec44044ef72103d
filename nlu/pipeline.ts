import type { LanguagePack } from './languagePack';
import { tokenize } from './text';
import type { TypoCorrector } from './typo';

/** A message after the language pack's stages: normalized words and their stems. */
export interface Analysis {
  words: string[];
  stems: string[];
  /** Words that were not in the vocabulary and were replaced by a near one. */
  corrected: number;
  /** Words (not stopwords) whose stem the model knows, over all such words. */
  coverage: number;
}

export function analyze(text: string, pack: LanguagePack, vocabulary?: TypoCorrector, knownStems?: ReadonlySet<string>): Analysis {
  const raw = tokenize(pack.normalize(text));
  let corrected = 0;
  const words = raw.map((w) => {
    if (!vocabulary || vocabulary.has(w) || /\d/.test(w)) return w;
    const near = vocabulary.correct(w);
    if (near === undefined) return w;
    corrected++;
    return near;
  });
  const stems = words.map((w) => pack.stem(w));
  let coverage = 1;
  if (knownStems) {
    const content = stems.filter((s, i) => !pack.stopwords.has(words[i]!) && !/^\d+$/.test(s));
    const counted = content.length > 0 ? content : stems;
    coverage = counted.length === 0 ? 0 : counted.filter((s) => knownStems.has(s)).length / counted.length;
  }
  return { words, stems, corrected, coverage };
}
