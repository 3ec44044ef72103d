/** Sparse features of one message: stems, stem bigrams and character n-grams of the words. */
export type FeatureVector = Map<string, number>;

export interface FeatureWeights { stems: number; bigrams: number; chars: number }
export const DEFAULT_FEATURE_WEIGHTS: FeatureWeights = { stems: 1, bigrams: 0.4, chars: 0.6 };

function addGroup(out: FeatureVector, keys: string[], weight: number): void {
  if (keys.length === 0 || weight === 0) return;
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  let norm = 0;
  for (const c of counts.values()) norm += c * c;
  const scale = weight / Math.sqrt(norm);
  for (const [k, c] of counts) out.set(k, (out.get(k) ?? 0) + c * scale);
}

function charNgrams(word: string): string[] {
  const padded = `<${word}>`;
  const out: string[] = [];
  for (const n of [3, 4]) {
    for (let i = 0; i + n <= padded.length; i++) out.push(`c:${padded.slice(i, i + n)}`);
  }
  return out;
}

/** `words` are normalized (folded) surface words, `stems` their stems, position for position. */
export function extractFeatures(words: string[], stems: string[], weights: FeatureWeights = DEFAULT_FEATURE_WEIGHTS): FeatureVector {
  const out: FeatureVector = new Map();
  addGroup(out, stems.map((s) => `w:${s}`), weights.stems);
  const bigrams: string[] = [];
  for (let i = 1; i < stems.length; i++) bigrams.push(`b:${stems[i - 1]}_${stems[i]}`);
  addGroup(out, bigrams, weights.bigrams);
  addGroup(out, words.flatMap(charNgrams), weights.chars);
  return out;
}
