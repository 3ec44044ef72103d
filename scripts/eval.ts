/**
 * npm run eval -- <file.jsonl> [--compare] [--folds N]
 * Prints accuracy per language, out-of-scope precision/recall, language identification, the most
 * confused pairs, classification time per utterance, and a k-fold cross-validation of the training data.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BayesClassifier } from 'natural/lib/natural/classifiers';
import { DEFAULT_CLASSIFIER_OPTIONS, IntentClassifier, type ClassifierOptions, type TrainingData } from '../nlu/classifier';
import { OUT_OF_SCOPE, type Label } from '../nlu/intents';
import { LANGS, type Lang } from '../nlu/languagePack';
import { PACKS } from '../nlu/packs';
import { analyze } from '../nlu/pipeline';
import { loadTrainingData, Recognizer } from '../nlu/recognizer';
import { LOCALES_DIR } from '../server/paths';

interface Line { text: string; lang: Lang; intent: Label }

function readJsonl(file: string): Line[] {
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l, i) => {
    const v = JSON.parse(l) as Line;
    if (!v.text || !LANGS.includes(v.lang) || !v.intent) throw new Error(`${file}:${i + 1}: needs text, lang and intent`);
    return v;
  });
}

const pct = (n: number, d: number) => (d === 0 ? 'n/a' : `${((100 * n) / d).toFixed(1)}%`);
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
};

interface Scores { inScope: Record<Lang, [number, number]>; oos: { tp: number; fp: number; fn: number }; clarified: number; confusions: Map<string, number> }

function score(lines: Line[], predict: (l: Line) => { intent: Label; clarify?: [Label, Label] }): Scores {
  const s: Scores = { inScope: { lv: [0, 0], en: [0, 0] }, oos: { tp: 0, fp: 0, fn: 0 }, clarified: 0, confusions: new Map() };
  for (const line of lines) {
    const p = predict(line);
    if (p.clarify) s.clarified++;
    if (line.intent !== OUT_OF_SCOPE) {
      s.inScope[line.lang][1]++;
      if (p.intent === line.intent) s.inScope[line.lang][0]++;
    }
    if (p.intent === OUT_OF_SCOPE && line.intent === OUT_OF_SCOPE) s.oos.tp++;
    else if (p.intent === OUT_OF_SCOPE) s.oos.fp++;
    else if (line.intent === OUT_OF_SCOPE) s.oos.fn++;
    if (p.intent !== line.intent) {
      const key = `${line.intent} -> ${p.intent}`;
      s.confusions.set(key, (s.confusions.get(key) ?? 0) + 1);
    }
  }
  return s;
}

function summary(name: string, s: Scores): string {
  const { tp, fp, fn } = s.oos;
  return `${name}: in-scope lv ${pct(...s.inScope.lv)} (${s.inScope.lv.join('/')}), en ${pct(...s.inScope.en)} (${s.inScope.en.join('/')}); `
    + `out-of-scope precision ${pct(tp, tp + fp)}, recall ${pct(tp, tp + fn)}; clarifying questions ${s.clarified}`;
}

function crossValidate(data: Record<Lang, TrainingData>, folds: number, options: ClassifierOptions): Scores {
  const all: Scores[] = [];
  for (let f = 0; f < folds; f++) {
    const train = {} as Record<Lang, TrainingData>;
    const test: Line[] = [];
    for (const lang of LANGS) {
      train[lang] = {};
      for (const [label, phrases] of Object.entries(data[lang])) {
        (phrases ?? []).forEach((text, i) => {
          if (i % folds === f) test.push({ text, lang, intent: label as Label });
          else (train[lang][label as Label] ??= []).push(text);
        });
      }
    }
    const models = { lv: IntentClassifier.train(PACKS.lv, train.lv, options), en: IntentClassifier.train(PACKS.en, train.en, options) };
    all.push(score(test, (l) => models[l.lang].classify(l.text)));
  }
  const total = score([], () => ({ intent: OUT_OF_SCOPE }));
  for (const s of all) {
    for (const lang of LANGS) { total.inScope[lang][0] += s.inScope[lang][0]; total.inScope[lang][1] += s.inScope[lang][1]; }
    total.oos.tp += s.oos.tp; total.oos.fp += s.oos.fp; total.oos.fn += s.oos.fn; total.clarified += s.clarified;
  }
  return total;
}

function bayesBaseline(data: Record<Lang, TrainingData>): (l: Line) => { intent: Label } {
  const models = {} as Record<Lang, BayesClassifier>;
  for (const lang of LANGS) {
    const bayes = new BayesClassifier();
    for (const [label, phrases] of Object.entries(data[lang])) {
      for (const p of phrases ?? []) bayes.addDocument(analyze(p, PACKS[lang]).stems, label);
    }
    bayes.train();
    models[lang] = bayes;
  }
  return (l) => {
    const ranked = models[l.lang].getClassifications(analyze(l.text, PACKS[l.lang]).stems as unknown as string);
    const [top, second] = ranked;
    // Bayes scores are not probabilities: an unknown message scores every label alike
    if (!top || (second && top.value === second.value)) return { intent: OUT_OF_SCOPE };
    return { intent: top.label as Label };
  };
}

function main(): void {
  const args = process.argv.slice(2);
  const file = args.find((a) => !a.startsWith('--')) ?? join(__dirname, '..', 'test', 'nlu', 'eval.jsonl');
  const folds = Number(args[args.indexOf('--folds') + 1]) || 5;
  const lines = readJsonl(file);
  const data = loadTrainingData(LOCALES_DIR);
  const t0 = performance.now();
  const recognizer = Recognizer.train(data);
  console.log(`training: ${(performance.now() - t0).toFixed(0)} ms; evaluation lines: ${lines.length} (${file})`);

  // end to end: language identification then intent, as the bot runs it (conversation language: Latvian);
  // one pass first so that the timing is of the warm code, as in the running server
  for (const l of lines) recognizer.recognize(l.text, { current: 'lv' });
  const times: number[] = [];
  let langRight = 0;
  const e2e = score(lines, (l) => {
    const start = performance.now();
    const r = recognizer.recognize(l.text, { current: 'lv' });
    times.push(performance.now() - start);
    if (r.language === l.lang) langRight++;
    return r;
  });
  let langRightFromEn = 0;
  for (const l of lines) if (recognizer.recognize(l.text, { current: 'en' }).language === l.lang) langRightFromEn++;
  console.log(summary('end to end', e2e));
  console.log(`language identification: ${pct(langRight, lines.length)} with Latvian as the conversation's language, ${pct(langRightFromEn, lines.length)} with English`);
  const given = score(lines, (l) => recognizer.classify(l.text, l.lang));
  console.log(summary('language given', given));
  console.log(`classification time per utterance (recognize): median ${quantile(times, 0.5).toFixed(3)} ms, p99 ${quantile(times, 0.99).toFixed(3)} ms, max ${Math.max(...times).toFixed(3)} ms`);
  console.log('most confused (expected -> predicted):');
  [...e2e.confusions].sort((a, b) => b[1] - a[1]).slice(0, 12).forEach(([k, n]) => console.log(`  ${n}  ${k}`));
  console.log(summary(`${folds}-fold cross-validation (training data)`, crossValidate(data, folds, DEFAULT_CLASSIFIER_OPTIONS)));

  if (args.includes('--compare')) {
    const variants: Array<[string, ClassifierOptions]> = [
      ['no typo correction', { ...DEFAULT_CLASSIFIER_OPTIONS, typos: false }],
      ['no character n-grams', { ...DEFAULT_CLASSIFIER_OPTIONS, features: { ...DEFAULT_CLASSIFIER_OPTIONS.features, chars: 0 } }],
      ['no stem bigrams', { ...DEFAULT_CLASSIFIER_OPTIONS, features: { ...DEFAULT_CLASSIFIER_OPTIONS.features, bigrams: 0 } }],
      ['no unknown-word feature', { ...DEFAULT_CLASSIFIER_OPTIONS, unknownWords: 0 }],
      ['unknown-word feature x2', { ...DEFAULT_CLASSIFIER_OPTIONS, unknownWords: 1 }],
      ['no coverage check', { ...DEFAULT_CLASSIFIER_OPTIONS, thresholds: { ...DEFAULT_CLASSIFIER_OPTIONS.thresholds, minCoverage: 0 } }],
    ];
    for (const [name, options] of variants) {
      const r = Recognizer.train(data, options);
      console.log(summary(`variant "${name}" (language given)`, score(lines, (l) => r.classify(l.text, l.lang))));
    }
    console.log(summary('baseline natural.BayesClassifier on the same stems (language given)', score(lines, bayesBaseline(data))));
  }
}

main();
