/**
 * The checks every turn passes (the incoming activity, the transcript record) take a written-out
 * fast path for the common case and fall back to the zod schemas: they must never accept what the
 * schema refuses. Seeded mutations of valid inputs, including every length limit and one past it.
 */
import { activityProblem, ActivitySchema } from '../../server/activityCheck';
import { mulberry32 } from '../../nlu/random';
import { recordSchema, validateRecord } from '../../storage/transcriptUtil';
import type { TranscriptRecord } from '../../storage/transcriptStore';

type Rnd = () => number;
const pick = <T>(rnd: Rnd, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;

const VALUES: ReadonlyArray<(rnd: Rnd) => unknown> = [
  () => undefined, () => null, () => 0, () => Number.NaN, () => Infinity, () => true, () => '', () => ' ', () => 'x',
  () => [], () => [{}], () => ({}), () => ({ id: 'a' }), () => [{ type: 'mention' }], () => [{ contentType: 'image/png' }],
  () => 'http://localhost:3978', () => 'HTTPS://example.lv/x', () => ' http://x', () => 'ftp://x', () => 'http:no-slashes', () => 'http://',
  () => 'javascript:alert(1)', () => new Date(0).toISOString(), () => 'not a date', () => 'lv', () => 'en', () => 'ru', () => 'user', () => 'bot',
  (rnd) => 'y'.repeat(pick(rnd, [1, 31, 32, 33, 63, 64, 65, 127, 128, 129, 255, 256, 257, 511, 512, 513, 2048, 2049])),
  (rnd) => Array.from({ length: pick(rnd, [99, 100, 101]) }, () => ({ id: 'u', type: 't', contentType: 'c' })),
];

function mutated(rnd: Rnd, base: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  const out = JSON.parse(JSON.stringify(base)) as Record<string, unknown>;
  for (let k = 1 + Math.floor(rnd() * 3); k > 0; k--) {
    const path = pick(rnd, fields).split('.');
    let at = out;
    for (const key of path.slice(0, -1)) {
      if (!at[key] || typeof at[key] !== 'object') at[key] = /^\d+$/.test(path[path.indexOf(key) + 1] ?? '') ? [] : {};
      at = at[key] as Record<string, unknown>;
    }
    const value = pick(rnd, VALUES)(rnd);
    if (value === undefined) delete at[path[path.length - 1]!];
    else at[path[path.length - 1]!] = value;
  }
  return out;
}

const ACTIVITY = {
  type: 'message', id: 'a1', channelId: 'webchat', serviceUrl: 'http://localhost:3978', text: 'Kur jūs atrodaties?', locale: 'lv-LV',
  conversation: { id: 'c1', isGroup: false }, from: { id: 'u1', name: 'Anna', role: 'user' }, recipient: { id: 'bot' },
  timestamp: new Date(0).toISOString(), attachments: [{ contentType: 'image/png', name: 'a.png' }], entities: [{ type: 'clientInfo' }],
  channelData: { clientActivityID: 'x' },
};
const ACTIVITY_FIELDS = [
  'type', 'id', 'serviceUrl', 'channelId', 'text', 'textFormat', 'locale', 'deliveryMode', 'replyToId', 'timestamp', 'localTimestamp',
  'localTimezone', 'name', 'inputHint', 'conversation', 'conversation.id', 'conversation.name', 'conversation.isGroup', 'conversation.conversationType',
  'conversation.tenantId', 'from', 'from.id', 'from.name', 'from.role', 'from.aadObjectId', 'recipient', 'recipient.id', 'attachments',
  'attachments.0', 'attachments.0.contentType', 'entities', 'entities.0.type', 'membersAdded', 'membersAdded.0.id', 'membersRemoved',
  'channelData', 'value', 'unknownField',
];

const RECORD = { conversationId: 'c1', timestamp: new Date(0).toISOString(), from: 'user', channelId: 'webchat', type: 'message', text: 'labdien', language: 'lv', intent: 'greeting', score: 0.9, activityId: 'a1' };
const RECORD_FIELDS = ['conversationId', 'timestamp', 'from', 'channelId', 'language', 'intent', 'score', 'type', 'text', 'activityId', 'seq', 'extra'];

test('the incoming activity: the fast check accepts exactly what the schema accepts (5,000 mutations)', () => {
  const rnd = mulberry32(Number(process.env.CHECK_SEED ?? 20261201));
  let accepted = 0;
  let refused = 0;
  expect(activityProblem(ACTIVITY)).toBeUndefined();
  for (let i = 0; i < 5000; i++) {
    const a = mutated(rnd, ACTIVITY, ACTIVITY_FIELDS);
    const schema = ActivitySchema.safeParse(a).success;
    expect([JSON.stringify(a).slice(-300), activityProblem(a) === undefined]).toEqual([JSON.stringify(a).slice(-300), schema]);
    if (schema) accepted += 1;
    else refused += 1;
  }
  // both sides were exercised
  expect(accepted).toBeGreaterThan(500);
  expect(refused).toBeGreaterThan(500);
  expect(activityProblem({ ...ACTIVITY, from: { id: 5 } })).toBe('"from.id" must be a string');
});

test('the transcript record: the fast check accepts exactly what the schema accepts (5,000 mutations)', () => {
  const rnd = mulberry32(Number(process.env.CHECK_SEED ?? 20261202));
  let refused = 0;
  for (let i = 0; i < 5000; i++) {
    const r = mutated(rnd, RECORD, RECORD_FIELDS);
    const schema = recordSchema.safeParse(r).success;
    let ok = true;
    try {
      validateRecord(r as unknown as TranscriptRecord);
    } catch {
      ok = false;
    }
    expect([JSON.stringify(r).slice(0, 300), ok]).toEqual([JSON.stringify(r).slice(0, 300), schema]);
    if (!schema) refused += 1;
  }
  expect(refused).toBeGreaterThan(500);
});
