import { EventEmitter } from 'node:events';
import type { Activity, ConversationAccount } from 'botbuilder';
import { EtagConflictError } from '../../storage/errors';
import { redact } from '../../storage/redact';
import type { Storage, StoreItem } from '../../storage/types';

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
  /** The newest activities, oldest first, as stored (JSON: timestamps are ISO strings). */
  readonly activities: Array<{ seq: number; activity: Partial<Activity> }>;
}

export interface ConversationLimits {
  /** A conversation nobody polled or posted to for this long is over (404). */
  idleMs: number;
  /** Activities kept per conversation; older ones are dropped (a client far behind just misses them). */
  maxActivities: number;
}

export const DEFAULT_LIMITS: ConversationLimits = { idleMs: 60 * 60_000, maxActivities: 300 };

/** A poll marks the conversation as used at most this often (a write per poll would be a write a second). */
const TOUCH_EVERY_MS = 5 * 60_000;
const MAX_WRITE_ATTEMPTS = 20;

/** The highest watermark accepted: a sequence number well inside a double's exact integers. */
export const WATERMARK = /^\d{0,15}$/;

type StoredConversation = Omit<Conversation, 'id'> & StoreItem;

/**
 * The conversations of the local Direct Line, in the bot's store (disk, or Redis shared by every
 * instance), so that a chat goes on across a restart and behind a load balancer. One item per
 * conversation (`directline/conversations/<id>`, a conversation key: Redis expires it with the
 * bot's state); concurrent appends from several instances are serialized by its eTag.
 * `appended` fires (with the conversation id) when this process added activities.
 */
export class ConversationStore extends EventEmitter {
  /** Conversations this process saw, and when: sweep() erases the idle ones (another instance's are its own to sweep). */
  private readonly known = new Map<string, number>();

  constructor(
    private readonly storage: Storage,
    private readonly limits: ConversationLimits = DEFAULT_LIMITS,
    private readonly now: () => number = Date.now,
  ) {
    super();
    this.setMaxListeners(0);
  }

  static key(id: string): string {
    return `directline/conversations/${id}`;
  }

  /** Starts the conversation, or returns it if it exists; `created` tells which. */
  async open(id: string, userId: string, locale: string | undefined): Promise<{ conversation: Conversation; created: boolean }> {
    const existing = await this.get(id);
    if (existing) return { conversation: existing, created: false };
    const item: StoredConversation = { userId, locale, lastSeen: this.now(), lastSeq: 0, activities: [] };
    await this.storage.write({ [ConversationStore.key(id)]: item });
    this.known.set(id, item.lastSeen);
    return { conversation: { id, userId, locale, lastSeen: item.lastSeen, lastSeq: 0, activities: [] }, created: true };
  }

  /** The conversation; undefined if it never existed, was erased, or lay idle too long. */
  async get(id: string): Promise<Conversation | undefined> {
    const key = ConversationStore.key(id);
    const item = (await this.storage.read([key]))[key] as StoredConversation | undefined;
    if (!item) {
      this.known.delete(id);
      return undefined;
    }
    const now = this.now();
    if (now - item.lastSeen > this.limits.idleMs) {
      await this.storage.delete([key]);
      this.known.delete(id);
      return undefined;
    }
    this.known.set(id, item.lastSeen);
    if (now - item.lastSeen > TOUCH_EVERY_MS) {
      // Another instance may be appending: a lost touch only means the next poll touches.
      await this.storage.write({ [key]: { ...item, lastSeen: now } }).catch((err: unknown) => {
        if (!(err instanceof EtagConflictError)) throw err;
      });
      item.lastSeen = now;
    }
    return toConversation(id, item);
  }

  /**
   * Adds activities, each with the next sequence number in its id, a timestamp, and this
   * conversation; returns the added copies as sent (timestamps as Dates; the store keeps the user's
   * redacted), or undefined if the conversation is gone.
   */
  async append(id: string, activities: Array<Partial<Activity>>): Promise<Array<Partial<Activity>> | undefined> {
    const key = ConversationStore.key(id);
    for (let attempt = 1; ; attempt++) {
      const item = (await this.storage.read([key]))[key] as StoredConversation | undefined;
      if (!item) return undefined;
      const added = activities.map((activity, i): Partial<Activity> => ({
        ...activity,
        id: `${id}|${String(item.lastSeq + i + 1).padStart(7, '0')}`,
        timestamp: new Date(this.now()),
        channelId: CHANNEL_ID,
        conversation: conversationAccount(id),
      }));
      const entries = [...item.activities, ...added.map((activity, i) => ({ seq: item.lastSeq + i + 1, activity: kept(activity) }))];
      const next: StoredConversation = {
        ...item,
        lastSeen: this.now(),
        lastSeq: item.lastSeq + added.length,
        activities: entries.slice(Math.max(0, entries.length - this.limits.maxActivities)),
      };
      try {
        await this.storage.write({ [key]: next });
      } catch (err) {
        if (err instanceof EtagConflictError && attempt < MAX_WRITE_ATTEMPTS) continue;
        throw err;
      }
      this.known.set(id, next.lastSeen);
      this.emit('appended', id);
      return added;
    }
  }

  /** Activities after the watermark (a sequence number; 0 for all) and the new watermark. */
  since(conversation: Conversation, after: number): { activities: Array<Partial<Activity>>; watermark: string } {
    const activities = conversation.activities.filter((a) => a.seq > after).map((a) => a.activity);
    return { activities, watermark: String(activities.length ? conversation.lastSeq : Math.min(after, conversation.lastSeq)) };
  }

  /** Erases the conversations this process knows that lay idle too long (their items would otherwise stay until the store's own expiry). */
  async sweep(): Promise<number> {
    const cutoff = this.now() - this.limits.idleMs;
    let erased = 0;
    for (const [id, lastSeen] of [...this.known]) {
      if (lastSeen >= cutoff) continue;
      // Read first: another instance may have kept it going; get() erases it if it is idle.
      if (!(await this.get(id))) erased += 1;
    }
    return erased;
  }

  /** Erases the conversation (the staff's erasure; its activities hold what the user typed). */
  async delete(id: string): Promise<void> {
    this.known.delete(id);
    await this.storage.delete([ConversationStore.key(id)]);
    this.emit('appended', id);
  }
}

/** Strings inside a value, redacted. */
function redactDeep(value: unknown): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map(redactDeep);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v)]));
  return value;
}

/**
 * The copy the store keeps: what the user sent, redacted (personal codes, phones, e-mails never
 * reach the disk or Redis; the page then shows the masked text, as staff would see it). The bot's
 * own activities stay as sent: they hold the Centre's phone and e-mail, not the user's.
 */
function kept(activity: Partial<Activity>): Partial<Activity> {
  if (activity.from?.role !== 'user') return activity;
  const copy: Partial<Activity> = { ...activity };
  if (typeof copy.text === 'string') copy.text = redact(copy.text);
  if (copy.value !== undefined) copy.value = redactDeep(copy.value);
  if (copy.attachments) copy.attachments = redactDeep(copy.attachments) as Activity['attachments'];
  return copy;
}

function toConversation(id: string, item: StoredConversation): Conversation {
  return { id, userId: item.userId, locale: item.locale ?? undefined, lastSeen: item.lastSeen, lastSeq: item.lastSeq, activities: item.activities };
}
