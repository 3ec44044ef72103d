import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IntentClassifier, DEFAULT_CLASSIFIER_OPTIONS, type ClassifierOptions, type Classification, type IntentClassifierData, type TrainingData } from './classifier';
import { extractEntities, withoutDate, type Entities } from './entities';
import { OUT_OF_SCOPE, type Intent, type Label } from './intents';
import { identifyLanguage, type LanguageSource } from './languageId';
import { LANGS, type Lang } from './languagePack';
import { detectLanguageSwitch } from './languageSwitch';
import { PACKS } from './packs';
import { foldDiacritics, nfcLower } from './text';
import { redact } from '../privacy/redact';

const PLACEHOLDER = /\[(IBAN|EMAIL|PHONE|CARD|PERSONAL_CODE)\]/g;

export interface Recognition {
  text: string;
  language: Lang;
  languageSource: LanguageSource | 'switch';
  /** Set when the message asks to change the conversation's language. */
  switchTo?: Lang;
  intent: Label;
  score: number;
  clarify?: [Intent, Intent];
  ranking: Array<{ intent: Label; score: number }>;
  entities: Entities;
  /** Content words (stems) the model has never seen in an in-scope phrase: what the message is about that we may know nothing of. */
  unknown: string[];
}

export interface RecognizeContext {
  /** The conversation's language so far (or the channel's locale hint on the first message). */
  current: Lang;
}

/** The only NLU entry point the bot uses: text in, language + intent + entities out. Pure after construction. */
export class Recognizer {
  private constructor(private readonly classifiers: Record<Lang, IntentClassifier>) {}

  /**
   * `added`: training phrases staff taught, on top of the shipped `data` (staff/teachChanges.ts).
   * `reuse`: a recognizer trained on the same `data` alone, whose model serves a language with nothing added.
   */
  static train(data: Record<Lang, TrainingData>, options: ClassifierOptions = DEFAULT_CLASSIFIER_OPTIONS, added?: Record<Lang, TrainingData>, reuse?: Recognizer): Recognizer {
    const one = (lang: Lang) => (reuse && !hasPhrases(added?.[lang])
      ? reuse.classifiers[lang]
      : IntentClassifier.train(PACKS[lang], data[lang], options, added?.[lang]));
    return new Recognizer({ lv: one('lv'), en: one('en') });
  }

  static fromLocales(localesDir: string, options?: ClassifierOptions): Recognizer {
    return Recognizer.train(loadTrainingData(localesDir), options);
  }

  /** The trained models (of the languages asked, default both) as plain data, to send from the worker thread that trained them. */
  toData(langs: readonly Lang[] = LANGS): Partial<Record<Lang, IntentClassifierData>> {
    return Object.fromEntries(langs.map((lang) => [lang, this.classifiers[lang].toData()]));
  }

  /** A language missing from `data` takes `base`'s model. */
  static fromData(data: Partial<Record<Lang, IntentClassifierData>>, base?: Recognizer, options: ClassifierOptions = DEFAULT_CLASSIFIER_OPTIONS): Recognizer {
    const one = (lang: Lang) => {
      const d = data[lang];
      if (d) return IntentClassifier.fromData(PACKS[lang], d, options);
      if (!base) throw new Error(`no model for ${lang}`);
      return base.classifiers[lang];
    };
    return new Recognizer({ lv: one('lv'), en: one('en') });
  }

  /** Whether this recognizer uses the same model as `other` for a language. */
  sharesModel(other: Recognizer, lang: Lang): boolean {
    return this.classifiers[lang] === other.classifiers[lang];
  }

  classify(text: string, lang: Lang): Classification {
    return this.classifiers[lang].classify(text);
  }

  recognize(original: string, context: RecognizeContext): Recognition {
    // personal codes, phones and e-mails say nothing about the intent, and their digits and
    // words ("example", "gmail") would only lower the coverage of a plain question
    const text = redact(original).replace(PLACEHOLDER, ' ');
    const entities = extractEntities(text);
    const folded = foldDiacritics(nfcLower(text));
    const opens = OPENS.test(folded);
    const asksHours = HOURS_WORDS.test(folded);
    const switchTo = detectLanguageSwitch(text);
    if (switchTo) {
      return { text: original, language: switchTo, languageSource: 'switch', switchTo, intent: OUT_OF_SCOPE, score: 1, ranking: [], entities, unknown: [] };
    }
    const guess = identifyLanguage(text, context.current, (lang) => this.classifiers[lang].knownShare(text));
    const words = entities.date ? withoutDate(text) : text;
    const result = settleWithEntities(this.classifiers[guess.lang].classify(words), entities, opens, asksHours);
    // A message in a language we guessed weakly may still be plainly understood by the other model.
    if (result.intent === OUT_OF_SCOPE && guess.source !== 'letters') {
      const other: Lang = guess.lang === 'lv' ? 'en' : 'lv';
      const alt = this.classifiers[other].classify(words);
      if (alt.intent !== OUT_OF_SCOPE && alt.score >= 0.7 && alt.coverage >= 0.99) {
        const lang = guess.source === 'kept' ? guess.lang : other;
        return { text: original, language: lang, languageSource: guess.source, ...pick(alt), entities, unknown: this.classifiers[lang].unknownStems(words) };
      }
    }
    return { text: original, language: guess.lang, languageSource: guess.source, ...pick(result), entities, unknown: this.classifiers[guess.lang].unknownStems(words) };
  }
}

function hasPhrases(data: TrainingData | undefined): boolean {
  return Object.values(data ?? {}).some((phrases) => (phrases?.length ?? 0) > 0);
}

/** "Vai sestdienās strādājat?": a day with a word of opening asks about the hours, whatever else it says. */
const OPENS = /\b(strada\w*|atver\w*|atvert\w*|pienem\w*|open|opened|work|working|closed|slegt\w*)\b/;
/** Words that ask for the hours themselves ("cikos", "darba laiks", "opening hours"), on folded text. */
export const HOURS_WORDS = /\b(hours|opening|open|what time|darba laik\w*|pienemsanas laik\w*|cikos|kad strada\w*|atvert\w*)\b/;

/** A day or a time in the message settles "hours or something else?" in favour of the hours. */
function settleWithEntities(c: Classification, entities: Entities, opens = false, asksHours = false): Classification {
  const hours = c.ranking.find((r) => r.intent === 'reception_hours')?.score ?? 0;
  // "cikos piektdien var saņemt izziņu?": a day or a time with an hours word asks for the hours
  const day = entities.weekday !== undefined || entities.relativeDay !== undefined || entities.date !== undefined || entities.time !== undefined;
  if (asksHours && day && c.intent !== 'reception_hours') return { intent: 'reception_hours', score: hours || c.score, ranking: c.ranking, coverage: c.coverage };
  const aboutTime = entities.relativeDay !== undefined || entities.weekday !== undefined || entities.time !== undefined || entities.asksNext === true;
  if (!aboutTime) return c;
  // "is it open tomorrow?" looks like "is the bank open tomorrow?", but every word of it is ours
  const plainHoursQuestion = c.intent === OUT_OF_SCOPE && ((c.coverage >= 0.99 && hours >= 0.2) || (opens && c.coverage >= 0.75 && hours >= 0.05));
  if (c.clarify?.includes('reception_hours') || plainHoursQuestion) {
    return { intent: 'reception_hours', score: hours || c.score, ranking: c.ranking, coverage: c.coverage };
  }
  return c;
}

function pick(c: Classification): Pick<Recognition, 'intent' | 'score' | 'clarify' | 'ranking'> {
  return c.clarify ? { intent: c.intent, score: c.score, clarify: c.clarify, ranking: c.ranking } : { intent: c.intent, score: c.score, ranking: c.ranking };
}

export function loadTrainingData(localesDir: string): Record<Lang, TrainingData> {
  const out = {} as Record<Lang, TrainingData>;
  for (const lang of LANGS) {
    const file = join(localesDir, lang, 'training.json');
    out[lang] = JSON.parse(readFileSync(file, 'utf8')) as TrainingData;
  }
  return out;
}
