import type { ConversationState, StatePropertyAccessor, UserState } from 'botbuilder';
import type { DialogState } from 'botbuilder-dialogs';
import type { Choice } from './answer';
import type { Lang } from '../nlu/languagePack';

export interface ConversationData {
  lang?: Lang;
  /** The choices the last answer offered, to read a click or a typed number. */
  offered?: Choice[];
  turns?: number;
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
