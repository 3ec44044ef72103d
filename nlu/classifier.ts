import { extractFeatures, type FeatureWeights, DEFAULT_FEATURE_WEIGHTS } from './features';
import { INTENT_NAMES, OUT_OF_SCOPE, type Intent, type Label } from './intents';
import type { LanguagePack } from './languagePack';
import { analyze } from './pipeline';
import { DEFAULT_TRAINING, SoftmaxModel, type SoftmaxModelData, type TrainingOptions } from './softmax';
import { TypoCorrector } from './typo';

export type TrainingData = Partial<Record<Label, string[]>>;

export interface Thresholds {
  /** Below this share of known content words the message is out of scope, whatever the model says. */
  minCoverage: number;
  /** Below this probability of the best intent the assistant does not answer it. */
  minConfidence: number;
  /** When the runner-up is within this margin and above `clarifyFloor`, ask which one was meant. */
  clarifyMargin: number;
  clarifyFloor: number;
}
export const DEFAULT_THRESHOLDS: Thresholds = { minCoverage: 0.34, minConfidence: 0.5, clarifyMargin: 0.2, clarifyFloor: 0.2 };

export interface Classification {
  intent: Label;
  score: number;
  /** The top intents with their probabilities (out_of_scope included), best first. */
  ranking: Array<{ intent: Label; score: number }>;
  /** Set when two intents are too close to choose: ask the user. */
  clarify?: [Intent, Intent];
  coverage: number;
}

export interface ClassifierOptions {
  features: FeatureWeights;
  training: TrainingOptions;
  thresholds: Thresholds;
  typos: boolean;
  /** Weight of the "a word no in-scope phrase has" feature (0: off). */
  unknownWords: number;
}
export const DEFAULT_CLASSIFIER_OPTIONS: ClassifierOptions = {
  features: DEFAULT_FEATURE_WEIGHTS, training: DEFAULT_TRAINING, thresholds: DEFAULT_THRESHOLDS, typos: true, unknownWords: 0.5,
};

const UNKNOWN = 'u:unknown';

/**
 * One feature per content word no in-scope phrase contains ("pharmacy", "Maxima"), so the model
 * learns how much an unfamiliar subject points out of scope. In training, out-of-scope phrases
 * show it for their own words, and in-scope phrases for words seen only once (the next phrase
 * about that intent will have words nobody wrote down either).
 */
function addUnknownFeature(x: Map<string, number>, unknownCount: number, weight: number): Map<string, number> {
  if (weight > 0 && unknownCount > 0) x.set(UNKNOWN, weight * Math.min(unknownCount, 3));
  return x;
}

function isContent(word: string, pack: LanguagePack): boolean {
  return word.length >= 3 && !pack.stopwords.has(word) && !/\d/.test(word);
}

/** A trained classifier as plain data (a worker thread trains, the main thread rebuilds it). */
export interface IntentClassifierData {
  model: SoftmaxModelData;
  /** Word frequencies of the training phrases (the typo corrector's vocabulary). */
  frequency: Array<[string, number]>;
  knownStems: string[];
}

const isIntent = (label: string): label is Intent => (INTENT_NAMES as string[]).includes(label);

/** One language's intent classifier: the pack's pipeline, typo correction and a softmax model. */
export class IntentClassifier {
  private constructor(
    private readonly pack: LanguagePack,
    private readonly model: SoftmaxModel,
    private readonly vocabulary: TypoCorrector | undefined,
    private readonly knownStems: ReadonlySet<string>,
    private readonly options: ClassifierOptions,
    private readonly frequency: Array<[string, number]> = [],
  ) {}

  /** `added`: phrases staff taught on top of `data` (trained alike, placed without reshuffling `data`'s). */
  static train(pack: LanguagePack, data: TrainingData, options: ClassifierOptions = DEFAULT_CLASSIFIER_OPTIONS, added: TrainingData = {}): IntentClassifier {
    const frequency = new Map<string, number>();
    const knownStems = new Set<string>();
    const tokenized: Array<{ label: string; words: string[]; stems: string[]; added?: boolean }> = [];
    const sources: Array<[TrainingData, boolean]> = [[data, false], [added, true]];
    for (const [label, phrases, isAdded] of sources.flatMap(([d, a]) => Object.entries(d).map(([l, p]) => [l, p, a] as const))) {
      for (const phrase of phrases ?? []) {
        const { words, stems } = analyze(phrase, pack);
        tokenized.push({ label, words, stems, ...(isAdded ? { added: true } : {}) });
        for (const w of words) frequency.set(w, (frequency.get(w) ?? 0) + 1);
        // out-of-scope phrases teach the model, but their words do not make a message "understood"
        if (label !== OUT_OF_SCOPE) for (const s of stems) knownStems.add(s);
      }
    }
    const vocabulary = options.typos ? new TypoCorrector(frequency.keys(), frequency) : undefined;
    const frequencyList = [...frequency];
    const inScopeCount = new Map<string, number>();
    for (const t of tokenized) if (t.label !== OUT_OF_SCOPE) for (const s of t.stems) inScopeCount.set(s, (inScopeCount.get(s) ?? 0) + 1);
    const unknownIn = (t: { label: string; words: string[]; stems: string[] }) => t.stems.filter((s, i) => isContent(t.words[i]!, pack)
      && (t.label === OUT_OF_SCOPE ? !inScopeCount.has(s) : inScopeCount.get(s) === 1)).length;
    const model = SoftmaxModel.train(
      tokenized.map((t) => ({ x: addUnknownFeature(extractFeatures(t.words, t.stems, options.features), unknownIn(t), options.unknownWords), y: t.label, ...(t.added ? { added: true } : {}) })),
      options.training,
    );
    return new IntentClassifier(pack, model, vocabulary, knownStems, options, frequencyList);
  }

  toData(): IntentClassifierData {
    return { model: this.model.toData(), frequency: this.frequency, knownStems: [...this.knownStems] };
  }

  static fromData(pack: LanguagePack, data: IntentClassifierData, options: ClassifierOptions = DEFAULT_CLASSIFIER_OPTIONS): IntentClassifier {
    const frequency = new Map(data.frequency);
    const vocabulary = options.typos ? new TypoCorrector(frequency.keys(), frequency) : undefined;
    return new IntentClassifier(pack, SoftmaxModel.fromData(data.model), vocabulary, new Set(data.knownStems), options, data.frequency);
  }

  classify(text: string): Classification {
    const { words, stems, coverage } = analyze(text, this.pack, this.vocabulary, this.knownStems);
    const t = this.options.thresholds;
    if (words.length === 0) return { intent: OUT_OF_SCOPE, score: 1, ranking: [], coverage: 0 };
    const unknown = stems.filter((s, i) => isContent(words[i]!, this.pack) && !this.knownStems.has(s)).length;
    const ranking = this.model.predict(addUnknownFeature(extractFeatures(words, stems, this.options.features), unknown, this.options.unknownWords))
      .slice(0, 5).map((r) => ({ intent: r.label as Label, score: r.p }));
    const [top, second] = ranking as [{ intent: Label; score: number }, { intent: Label; score: number } | undefined];
    if (coverage < t.minCoverage) return { intent: OUT_OF_SCOPE, score: 1 - coverage, ranking, coverage };
    if (top.intent === OUT_OF_SCOPE) return { intent: OUT_OF_SCOPE, score: top.score, ranking, coverage };
    if (second && isIntent(top.intent) && isIntent(second.intent)
      && top.score - second.score < t.clarifyMargin && second.score >= t.clarifyFloor) {
      return { intent: top.intent, score: top.score, ranking, clarify: [top.intent, second.intent], coverage };
    }
    if (top.score < t.minConfidence) return { intent: OUT_OF_SCOPE, score: 1 - top.score, ranking, coverage };
    return { intent: top.intent, score: top.score, ranking, coverage };
  }

  /** Content words of the message (as stems, after typo correction) that no in-scope training phrase has. */
  unknownStems(text: string): string[] {
    const { words, stems } = analyze(text, this.pack, this.vocabulary, this.knownStems);
    return stems.filter((s, i) => isContent(words[i]!, this.pack) && words[i]!.length >= 4 && !this.knownStems.has(s));
  }

  /** Does the message contain words this language's model knows (used by language identification)? */
  knownShare(text: string): number {
    return analyze(text, this.pack, undefined, this.knownStems).coverage;
  }
}
