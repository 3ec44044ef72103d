import type { ConversationState, StatePropertyAccessor, UserState } from 'botbuilder';
import type { DialogState } from 'botbuilder-dialogs';
import type { Choice } from './answer';
import type { Lang } from '../nlu/languagePack';
import type { Entities } from '../nlu/entities';

export interface ConversationData {
  lang?: Lang;
  /** The choices the last answer offered, to read a click or a typed number. */
  offered?: Choice[];
  turns?: number;
  feedback?: FeedbackState;
  /** The last content answer: an elliptical follow-up ("un piektdien?") continues it. */
  last?: { intent: string; entities: Partial<Entities>; /** the question, redacted */ text: string };
}

/** What the conversation knows about ratings, so that it asks at the right moments only. */
export interface FeedbackState {
  /** The user turn at which "was this helpful?" was last offered. */
  askedTurn?: number;
  /** The answer the offered thumbs are about. */
  pending?: { activityId: string; intent: string };
  /** The id of this conversation's satisfaction rating, once given (one per conversation). */
  csatId?: string;
  /** The last rating that may still get a comment. */
  commentFor?: string;
}

export interface UserPreferences {
  /** Set only by an explicit switch ("English please"); it then outranks detection. */
  lang?: Lang;
}

export interface StateAccessors {
  conversation: StatePropertyAccessor<ConversationData>;
  user: StatePropertyAccessor<UserPreferences>;
  dialog: StatePropertyAccessor<DialogState>;
}

export function createAccessors(conversationState: ConversationState, userState: UserState): StateAccessors {
  return {
    conversation: conversationState.createProperty<ConversationData>('conversation'),
    user: userState.createProperty<UserPreferences>('preferences'),
    dialog: conversationState.createProperty<DialogState>('dialogState'),
  };
}
