import type { Activity, Middleware, ResourceResponse, TurnContext } from 'botbuilder';
import { redact } from '../../privacy/redact';
import type { Provenance, TranscriptRecord, TranscriptStore, TurnOutcome } from '../../storage/transcriptStore';
import type { Lang } from '../../nlu/languagePack';
import { OUTCOME, RECOGNITION, TURN_LANGUAGE, type RecognitionSummary } from '../bot';
import { ANSWER_ID, PROVENANCE } from '../reply';

/** A client chooses its activity ids; longer ones are cut (and redacted like text). */
const MAX_ACTIVITY_ID = 128;

export interface TranscriptWarn { (msg: string, fields: Record<string, unknown>): void }

/** Personal data never reaches storage: strings inside cards are redacted like text. */
function redactDeep(value: unknown): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map(redactDeep);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v)]));
  return value;
}

type Card = { fallbackText?: string; title?: string; text?: string; buttons?: Array<{ title?: string }>; actions?: Array<{ title?: string }> };

/**
 * What the bot showed, as staff read it: the text (a card's own plain-text rendering included)
 * and the button titles. Cards are our own answers, so their JSON adds nothing but size.
 */
function botView(activity: Partial<Activity>): { text: string; shown: { cards: string[]; buttons: string[] } } {
  const cards = (activity.attachments ?? []).map((a) => ({ type: a.contentType, content: (a.content ?? {}) as Card }));
  const text = [activity.text, ...cards.map((c) => c.content.fallbackText ?? [c.content.title, c.content.text].filter(Boolean).join('\n'))]
    .filter((x): x is string => Boolean(x)).join('\n\n');
  const buttons = [
    ...(activity.suggestedActions?.actions ?? []).map((a) => a.title),
    ...cards.flatMap((c) => [...(c.content.buttons ?? []), ...(c.content.actions ?? [])].map((b) => b.title ?? '')),
  ].filter(Boolean);
  return { text, shown: { cards: cards.map((c) => c.type), buttons } };
}

/** A UUID (the id of each answer, which its rating points to) holds no personal data. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The id as stored: a UUID as it is (redacting one, 7% of them looked like an IBAN, broke the
 * link from a rating to the answer it rates); any other id a client chose is cut and redacted.
 */
export function storedId(id: string): string {
  return UUID.test(id) ? id : redact(id.slice(0, MAX_ACTIVITY_ID));
}

function record(activity: Partial<Activity>, from: 'user' | 'bot', conversationId: string, channelId: string, lang: Lang | undefined): TranscriptRecord {
  const r: TranscriptRecord = {
    conversationId, from, channelId, type: activity.type ?? 'message',
    timestamp: new Date().toISOString(),
  };
  if (lang) r.language = lang;
  if (typeof activity.id === 'string' && activity.id) r.activityId = storedId(activity.id);
  if (from === 'bot') {
    const view = botView(activity);
    if (view.text) r.text = redact(view.text);
    if (view.shown.cards.length || view.shown.buttons.length) r.attachments = { cards: view.shown.cards, buttons: view.shown.buttons.map(redact) };
    return r;
  }
  if (activity.text) r.text = redact(activity.text);
  if (activity.attachments?.length) r.attachments = redactDeep(activity.attachments);
  if (activity.value !== undefined) r.attachments = [...((r.attachments as unknown[]) ?? []), redactDeep({ value: activity.value })];
  return r;
}

/**
 * Stores every activity of a turn, user's first then the bot's, with the recognized intent and
 * score. It writes in a `finally`, so a turn that throws still has its user message stored.
 * The live activity is never changed: only the stored copy is redacted.
 */
export class TranscriptLogger implements Middleware {
  constructor(private readonly store: TranscriptStore, private readonly warn: TranscriptWarn) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const sent: Array<Partial<Activity> & { provenance?: Provenance }> = [];
    context.onSendActivities(async (ctx, activities, nextSend) => {
      const answerId = ctx.turnState.get(ANSWER_ID) as string | undefined;
      const provenance = ctx.turnState.get(PROVENANCE) as Provenance | undefined;
      const responses: ResourceResponse[] = await nextSend();
      activities.forEach((a, i) => sent.push({ ...a, id: answerId ?? a.id ?? responses?.[i]?.id, ...(provenance ? { provenance } : {}) }));
      return responses;
    });
    try {
      await next();
    } finally {
      // Not awaited: the reply need not wait for the transcript. Every append is issued here, in
      // order, before the turn (and its lock) ends, and the store keeps call order; a shutdown
      // flushes what is pending.
      this.write(context, sent);
    }
  }

  private write(context: TurnContext, sent: Array<Partial<Activity> & { provenance?: Provenance }>): void {
    const { activity } = context;
    const conversationId = activity.conversation?.id;
    if (!conversationId) return;
    const lang = context.turnState.get(TURN_LANGUAGE) as Lang | undefined;
    const user = record(activity, 'user', conversationId, activity.channelId, lang);
    const recognized = context.turnState.get(RECOGNITION) as RecognitionSummary | undefined;
    if (recognized) {
      user.intent = recognized.intent;
      user.score = Math.round(recognized.score * 1000) / 1000;
      if (recognized.runnerUp) user.runnerUp = { intent: recognized.runnerUp.intent, score: Math.round(recognized.runnerUp.score * 1000) / 1000 };
    }
    const outcome = context.turnState.get(OUTCOME) as TurnOutcome | undefined;
    if (outcome && activity.type === 'message') user.outcome = outcome;
    const bots = sent.filter((a) => a.type !== 'typing' && a.type !== 'delay').map((a) => {
      const r = record(a, 'bot', conversationId, activity.channelId, lang);
      if (a.provenance) r.provenance = a.provenance;
      return r;
    });
    const records = [user, ...bots];
    const appends = records.map((r) => this.store.append(r));
    Promise.all(appends).catch((err: Error) => this.warn('transcript not stored', { error: err.name, channelId: activity.channelId }));
  }
}
