/**
 * What the bench sends: sessions (one conversation id each) built deterministically from
 * bench/utterances.json and bench/conversations.json, so both bots get the same sequence.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mulberry32 } from '../nlu/random';

export interface Utterance {
  text: string;
  lang: 'lv' | 'en';
  intent?: string;
}

/** A step: message text, or fields merged into the activity (type, text, value, ...). */
export type Step = string | ({ minReplies?: number } & Record<string, unknown>);

export interface Conversation {
  name: string;
  locale?: string;
  steps: Step[];
}

export interface TurnSpec {
  /** Activity fields specific to this turn (type, text, value...). */
  fields: Record<string, unknown>;
  minReplies: number;
}

export interface Session {
  conversationId: string;
  userId: string;
  locale: string;
  kind: 'conversation' | 'questions';
  turns: TurnSpec[];
}

export function loadUtterances(dir: string): Utterance[] {
  const data = JSON.parse(readFileSync(join(dir, 'utterances.json'), 'utf8')) as { utterances: Utterance[] };
  if (!Array.isArray(data.utterances) || data.utterances.length === 0) throw new Error('bench/utterances.json: "utterances" must be a non-empty array');
  data.utterances.forEach((u, i) => {
    if (typeof u.text !== 'string' || !u.text.trim()) throw new Error(`bench/utterances.json: utterances[${i}].text must be a non-empty string`);
    if (u.lang !== 'lv' && u.lang !== 'en') throw new Error(`bench/utterances.json: utterances[${i}].lang must be "lv" or "en"`);
  });
  return data.utterances;
}

export function loadConversations(dir: string): Conversation[] {
  const data = JSON.parse(readFileSync(join(dir, 'conversations.json'), 'utf8')) as { conversations: Conversation[] };
  if (!Array.isArray(data.conversations) || data.conversations.length === 0) throw new Error('bench/conversations.json: "conversations" must be a non-empty array');
  data.conversations.forEach((c, i) => {
    if (!Array.isArray(c.steps) || c.steps.length === 0) throw new Error(`bench/conversations.json: conversations[${i}].steps must be a non-empty array`);
  });
  return data.conversations;
}

export function toTurn(step: Step): TurnSpec {
  if (typeof step === 'string') return { fields: { type: 'message', text: step }, minReplies: 1 };
  const { minReplies, ...fields } = step;
  const type = typeof fields.type === 'string' ? fields.type : 'message';
  return { fields: { ...fields, type }, minReplies: minReplies ?? (type === 'message' ? 1 : 0) };
}

/** The project's seeded PRNG, so runs are repeatable. */
export const prng = mulberry32;

/**
 * Sessions until at least `minTurns` turns: scripted conversations alternate with short
 * sessions of 1-3 single questions. Every session has a new conversation id and user id.
 */
export function buildSessions(label: string, minTurns: number, utterances: Utterance[], conversations: Conversation[], seed: number): Session[] {
  const rand = prng(seed);
  const sessions: Session[] = [];
  let turns = 0;
  let convIndex = Math.floor(rand() * conversations.length);
  for (let n = 0; turns < minTurns; n++) {
    const conversationId = `bench-${label}-${seed}-${n}`;
    const userId = `bench-user-${seed}-${n}`;
    let session: Session;
    if (n % 2 === 0) {
      const c = conversations[convIndex++ % conversations.length];
      session = { conversationId, userId, locale: c.locale ?? 'lv-LV', kind: 'conversation', turns: c.steps.map(toTurn) };
    } else {
      const k = 1 + Math.floor(rand() * 3);
      const picked = Array.from({ length: k }, () => utterances[Math.floor(rand() * utterances.length)]);
      session = {
        conversationId, userId, kind: 'questions',
        locale: picked[0].lang === 'en' ? 'en-US' : 'lv-LV',
        turns: picked.map((u) => ({ fields: { type: 'message', text: u.text }, minReplies: 1 })),
      };
    }
    sessions.push(session);
    turns += session.turns.length;
  }
  return sessions;
}

export const countTurns = (sessions: Session[]) => sessions.reduce((s, x) => s + x.turns.length, 0);
