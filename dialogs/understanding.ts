import type { Entities } from '../nlu/entities';
import type { Intent, Label } from '../nlu/intents';
import type { Lang } from '../nlu/languagePack';
import type { GuideAction } from './answers';

/** What the bot understood of this turn's message, handed to the dialogs through turn state. */
export interface TurnUnderstanding {
  lang: Lang;
  intent: Label;
  score: number;
  clarify?: [Intent, Intent];
  entities: Entities;
  /** The message as typed (for the guides' own slot extraction). */
  text?: string;
  /** A choice that starts a guide ("Guide me step by step") or gives a rating ("👍"). */
  action?: GuideAction | FeedbackAction;
  /** Slots a guide starts with (from an offered "Palīdzēt soli pa solim" that carried them). */
  slots?: Record<string, string>;
  /** "More on this": the topic to show whole. */
  more?: string;
  /** The message is a click on an offered choice (or its number): the topic itself is asked. */
  chosen?: boolean;
  /** Content words no training phrase has (see Recognition.unknown). */
  unknown?: string[];
  /** The message continues the previous answer ("un piektdien?"): both messages, for the facts stage. */
  context?: string;
}

export type FeedbackAction = 'feedback:up' | 'feedback:down';

export const UNDERSTANDING = 'iemic.understanding';

/** How the assistant dealt with this turn's message (a TurnOutcome), for transcripts and the answer eval. */
export const OUTCOME = 'iemic.outcome';
