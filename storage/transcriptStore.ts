export type TurnOutcome = 'answered' | 'fallback' | 'clarified' | 'guide_started' | 'guide_step' | 'guide_finished' | 'smalltalk' | 'rating';

export interface Provenance {
  /** Knowledge topic or service id, or an intent for computed answers (hours, contacts). */
  topic: string;
  /** Fact ids of knowledge/ that the reply gives, first the one that answers the question. */
  facts: string[];
  /** Sections of the client service standard those facts come from. */
  sections: string[];
}

/** One activity of a conversation as staff review it (text already redacted by the caller). */
export interface TranscriptRecord {
  conversationId: string;
  /** Assigned by the store on append: 1, 2, 3… per conversation, in append-call order. */
  seq?: number;
  /** ISO 8601. */
  timestamp: string;
  from: 'user' | 'bot';
  channelId: string;
  language?: 'lv' | 'en';
  intent?: string;
  score?: number;
  /** User records: the second most likely intent, when the NLU had one. */
  runnerUp?: { intent: string; score: number };
  /** User records: how the assistant dealt with the message. */
  outcome?: TurnOutcome;
  /** Bot records: where the answer came from (knowledge topic, fact ids, the standard's sections). */
  provenance?: Provenance;
  type: string;
  text?: string;
  attachments?: unknown;
  activityId?: string;
}

export interface TranscriptFilter {
  /** Conversations with activity at or after this time (their last record >= from). */
  from?: Date;
  /** Conversations with activity at or before this time (their first record <= to). */
  to?: Date;
  channel?: string;
  /** Conversations with at least one record in this language. */
  language?: 'lv' | 'en';
  /** Conversations with at least one record with this intent. */
  intent?: string;
  /** Default 100. */
  limit?: number;
}

export interface ConversationSummary {
  conversationId: string;
  channelId: string;
  /** ISO 8601 of the earliest and latest record timestamps. */
  firstTimestamp: string;
  lastTimestamp: string;
  /** All records, and those from the user. */
  records: number;
  userMessages: number;
  languages: Array<'lv' | 'en'>;
  intents: string[];
}

/**
 * Conversation transcripts for staff review. `list` returns summaries newest first (by last
 * activity). Time filters use the records' own timestamps.
 */
export interface TranscriptStore {
  append(record: TranscriptRecord): Promise<void>;
  list(filter: TranscriptFilter): Promise<ConversationSummary[]>;
  /** Records in seq order; [] for an unknown conversation. */
  get(conversationId: string): Promise<TranscriptRecord[]>;
  deleteConversation(conversationId: string): Promise<void>;
  /** Deletes conversations whose last activity is before `cutoff`; returns how many. */
  pruneOlderThan(cutoff: Date): Promise<number>;
  /** Resolves when every append started before the call has been stored. */
  flush(): Promise<void>;
}

export { DiskTranscriptStore } from './diskTranscriptStore';
export { RedisTranscriptStore } from './redisTranscriptStore';
