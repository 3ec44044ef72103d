/**
 * The light Latvian stemmer (K. Kreslins, as Lucene's LatvianStemmer implements it), applied to
 * diacritic-folded text: the suffix list is folded too, so duplicates collapse and most
 * palatalization rules disappear. Removes at most one suffix.
 */
interface Affix { suffix: string; vowels: number; palatal: boolean }

const AFFIXES: Affix[] = [
  'ajiem/3', 'ajai/3', 'ajam/2', 'ajos/2', 'ajas/2', 'iem/2P', 'aja/2', 'ais/2', 'ai/2', 'ei/2',
  'am/1', 'em/1', 'im/1', 'um/1', 'us/1P', 'as/1', 'es/1', 'os/1P', 'ij/1', 'is/1', 'ie/1',
  'u/1P', 'a/1P', 'i/1P', 'e/1', 'o/1', 's/0',
].map((spec) => {
  const [suffix, rest] = spec.split('/') as [string, string];
  return { suffix, vowels: Number.parseInt(rest, 10), palatal: rest.endsWith('P') };
});

function countVowels(word: string): number {
  let n = 0;
  for (const ch of word) if ('aeiou'.includes(ch)) n++;
  return n;
}

/** On folded text only p/b/m/v + j survives of the palatalization rules ("zemju" -> "zem"). */
function unpalatalize(stem: string): string {
  if (/[pbmv]j$/.test(stem)) return stem.slice(0, -1);
  return stem;
}

export function stemLatvian(word: string): string {
  const vowels = countVowels(word);
  for (const affix of AFFIXES) {
    if (word.endsWith(affix.suffix) && vowels > affix.vowels && word.length >= affix.suffix.length + 3) {
      const stem = word.slice(0, -affix.suffix.length);
      return affix.palatal ? unpalatalize(stem) : stem;
    }
  }
  return word;
}
