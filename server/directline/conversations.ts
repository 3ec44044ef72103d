import type { Activity, ConversationAccount } from 'botbuilder';

export const CHANNEL_ID = 'webchat';

/** The `conversation` of every activity in a web chat: one user and the bot. */
export function conversationAccount(id: string): ConversationAccount {
  return { id, isGroup: false, conversationType: 'personal', name: '' };
}

export interface Conversation {
  readonly id: string;
  readonly userId: string;
  /** The locale the page asked for when it started the conversation. */
  readonly locale: string | undefined;
  lastSeen: number;
  lastSeq: number;
  /** The newest activities, oldest first; each has an `id` ending in its sequence number. */
  readonly activities: Array<{ seq: number; activity: Partial<Activity> }>;
}

export interface ConversationLimits {
  /** A conversation nobody polled or posted to for this long is dropped. */
  idleMs: number;
  /** At most this many conversations in memory; past it the least recently used goes. */
  maxConversations: number;
  /** Activities kept per conversation; older ones are dropped (a client far behind just misses them). */
  maxActivities: number;
}

export const DEFAULT_LIMITS: ConversationLimits = { idleMs: 30 * 60_000, maxConversations: 5000, maxActivities: 300 };

/** The conversations of the local Direct Line, in memory, bounded in count, age and length. */
export class ConversationStore {
  // A Map keeps insertion order: touching re-inserts, so the first entry is the least recently used.
  private readonly conversations = new Map<string, Conversation>();

  constructor(private readonly limits: ConversationLimits = DEFAULT_LIMITS, private readonly now: () => number = Date.now) {}

  get size(): number {
    return this.conversations.size;
  }

  /** Starts the conversation, or returns it if it exists; `created` tells which. */
  open(id: string, userId: string, locale: string | undefined): { conversation: Conversation; created: boolean } {
    const existing = this.get(id);
    if (existing) return { conversation: existing, created: false };
    this.sweep();
    while (this.conversations.size >= this.limits.maxConversations) {
      const oldest = this.conversations.keys().next().value;
      if (oldest === undefined) break;
      this.conversations.delete(oldest);
    }
    const conversation: Conversation = { id, userId, locale, lastSeen: this.now(), lastSeq: 0, activities: [] };
    this.conversations.set(id, conversation);
    return { conversation, created: true };
  }

  /** The conversation, marked as used now; undefined if it never existed or was dropped. */
  get(id: string): Conversation | undefined {
    const conversation = this.conversations.get(id);
    if (!conversation) return undefined;
    if (this.now() - conversation.lastSeen > this.limits.idleMs) {
      this.conversations.delete(id);
      return undefined;
    }
    conversation.lastSeen = this.now();
    this.conversations.delete(id);
    this.conversations.set(id, conversation);
    return conversation;
  }

  /** Adds an activity with its id and timestamp; returns the stored copy, or undefined if the conversation is gone. */
  append(id: string, activity: Partial<Activity>): Partial<Activity> | undefined {
    const conversation = this.conversations.get(id);
    if (!conversation) return undefined;
    const seq = conversation.lastSeq + 1;
    conversation.lastSeq = seq;
    const stored: Partial<Activity> = {
      ...activity,
      id: `${id}|${String(seq).padStart(7, '0')}`,
      timestamp: new Date(this.now()),
      channelId: CHANNEL_ID,
      conversation: conversationAccount(id),
    };
    conversation.activities.push({ seq, activity: stored });
    const excess = conversation.activities.length - this.limits.maxActivities;
    if (excess > 0) conversation.activities.splice(0, excess);
    return stored;
  }

  /** Activities after the watermark (a sequence number as a string; empty for all) and the new watermark. */
  since(conversation: Conversation, watermark: string | undefined): { activities: Array<Partial<Activity>>; watermark: string } {
    const after = watermark && /^\d+$/.test(watermark) ? Number(watermark) : 0;
    const activities = conversation.activities.filter((a) => a.seq > after).map((a) => a.activity);
    return { activities, watermark: String(activities.length ? conversation.lastSeq : after) };
  }

  /** Drops the conversations idle for too long. */
  sweep(): void {
    const cutoff = this.now() - this.limits.idleMs;
    for (const [id, conversation] of this.conversations) {
      if (conversation.lastSeen < cutoff) this.conversations.delete(id);
    }
  }
}
