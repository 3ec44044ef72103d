import type { Entities } from '../nlu/entities';
import type { Intent, Label } from '../nlu/intents';
import type { Lang } from '../nlu/languagePack';

/** What the bot understood of this turn's message, handed to the dialogs through turn state. */
export interface TurnUnderstanding {
  lang: Lang;
  intent: Label;
  score: number;
  clarify?: [Intent, Intent];
  entities: Entities;
}

export const UNDERSTANDING = 'iemic.understanding';
