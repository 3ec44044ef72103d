import { english } from './en';
import type { Lang, LanguagePack } from './languagePack';
import { latvian } from './lv';

/** Words a pack keeps the stem of: far more than a language's working vocabulary, a few MB at most. */
const STEMS_KEPT = 50_000;

/**
 * The pack with its stemmer's answers kept: a message is stemmed by the classifier, the entity
 * rules and the fact matcher, and the same few thousand words come back every turn. When full,
 * the memory starts again (a stem is a pure function of the word).
 */
export function withStemMemory(pack: LanguagePack): LanguagePack {
  const known = new Map<string, string>();
  return {
    ...pack,
    normalize: pack.normalize,
    stem(token: string): string {
      let stem = known.get(token);
      if (stem === undefined) {
        stem = pack.stem(token);
        if (known.size >= STEMS_KEPT) known.clear();
        known.set(token, stem);
      }
      return stem;
    },
  };
}

export const PACKS: Record<Lang, LanguagePack> = { lv: withStemMemory(latvian), en: withStemMemory(english) };
