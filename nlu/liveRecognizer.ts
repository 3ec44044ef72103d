import type { Classification } from './classifier';
import type { Lang } from './languagePack';
import type { Recognition, RecognizeContext, Recognizer } from './recognizer';

/** What the bot needs of a recognizer. */
export interface RecognizerLike {
  recognize(original: string, context: RecognizeContext): Recognition;
}

/**
 * The recognizer the bot reads on every turn, replaced as a whole when staff's training changes
 * are applied or reverted: a turn reads `current` once, so it runs on one model from start to end,
 * and a new model (trained elsewhere, in a worker thread) takes over with one assignment.
 */
export class LiveRecognizer implements RecognizerLike {
  private model: Recognizer;
  /** Which set of staff changes the current model was trained with ('' for the shipped data alone). */
  private label = '';

  constructor(readonly base: Recognizer) {
    this.model = base;
  }

  get current(): Recognizer {
    return this.model;
  }

  get version(): string {
    return this.label;
  }

  swap(next: Recognizer, version: string): void {
    this.model = next;
    this.label = version;
  }

  recognize(original: string, context: RecognizeContext): Recognition {
    return this.model.recognize(original, context);
  }

  classify(text: string, lang: Lang): Classification {
    return this.model.classify(text, lang);
  }
}
