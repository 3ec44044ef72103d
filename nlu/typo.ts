/**
 * Typo correction: maps a word the model has never seen to its nearest vocabulary word by
 * Damerau-Levenshtein distance (<= 1 for words of 4-7 letters, <= 2 for longer ones; measured on the
 * evaluation sets and a 5-fold cross-validation). Candidates
 * come from a deletion index (SymSpell), so a look-up costs microseconds, not a vocabulary scan.
 */
export function maxEdits(word: string): number {
  if (word.length <= 3) return 0;
  // two edits only for long words: two edits turn many a short unknown word ("pharmacy") into a known one
  return word.length <= 7 ? 1 : 2;
}

function deletions(word: string, depth: number, out: Set<string>): void {
  if (depth === 0 || word.length <= 1) return;
  for (let i = 0; i < word.length; i++) {
    const shorter = word.slice(0, i) + word.slice(i + 1);
    if (!out.has(shorter)) {
      out.add(shorter);
      deletions(shorter, depth - 1, out);
    }
  }
}

/** Optimal string alignment distance (Damerau-Levenshtein with adjacent transpositions). */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const prev2 = new Array<number>(b.length + 1).fill(0);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let cur = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > limit) return limit + 1;
    for (let j = 0; j <= b.length; j++) prev2[j] = prev[j]!;
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]!;
}

export class TypoCorrector {
  private readonly words: Set<string>;
  private readonly index = new Map<string, string[]>();

  /** `frequency` breaks ties between equally near words in favour of the commoner one. */
  constructor(vocabulary: Iterable<string>, private readonly frequency: ReadonlyMap<string, number> = new Map()) {
    this.words = new Set(vocabulary);
    for (const word of this.words) {
      const keys = new Set<string>([word]);
      deletions(word, maxEdits(word), keys);
      for (const key of keys) {
        const bucket = this.index.get(key);
        if (bucket) bucket.push(word);
        else this.index.set(key, [word]);
      }
    }
  }

  has(word: string): boolean {
    return this.words.has(word);
  }

  /** The nearest known word, or undefined when none is near enough. */
  correct(word: string): string | undefined {
    if (this.words.has(word)) return word;
    const limit = maxEdits(word);
    if (limit === 0) return undefined;
    const keys = new Set<string>([word]);
    deletions(word, limit, keys);
    let best: string | undefined;
    let bestDistance = limit + 1;
    let bestFrequency = -1;
    for (const key of keys) {
      for (const candidate of this.index.get(key) ?? []) {
        if (candidate.length <= 3) continue;
        const d = editDistance(word, candidate, limit);
        const f = this.frequency.get(candidate) ?? 0;
        if (d < bestDistance || (d === bestDistance && f > bestFrequency)) {
          best = candidate;
          bestDistance = d;
          bestFrequency = f;
        }
      }
    }
    return bestDistance <= limit ? best : undefined;
  }
}
