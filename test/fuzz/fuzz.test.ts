/**
 * A seeded fuzzer against the real process: 2,000 activities, each a valid one with one to three
 * fields mutated (wrong type, huge, deeply nested, empty, removed, odd Unicode, prototype keys),
 * half to /api/messages and half to the local Direct Line. Afterwards the process is alive,
 * /healthz answers 200, a normal question gets its normal answer, and no response was >= 500.
 * FUZZ_SEED and FUZZ_COUNT change the run; a failure prints the seed and the offending request.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { mulberry32 } from '../../nlu/random';
import { BotProcess, message } from '../support/botProcess';

const SEED = Number(process.env.FUZZ_SEED ?? 20261130);
const COUNT = Number(process.env.FUZZ_COUNT ?? 2000);
const CONCURRENCY = 16;
const DIRECT_LINE_CONVERSATIONS = 10;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Rnd = () => number;

const logDir = mkdtempSync(path.join(os.tmpdir(), 'fuzz-'));
let bot: BotProcess | undefined;
afterAll(() => {
  if (bot?.running) bot.kill();
  rmSync(logDir, { recursive: true, force: true });
});

function seeds(i: number): Array<Record<string, Json>> {
  const base = message(`fuzz-${i % 50}`, 'Kur jūs atrodaties?') as Record<string, Json>;
  return [
    base,
    { ...base, text: 'How do I get a criminal record certificate?', locale: 'en-US' },
    { ...base, text: '', value: { action: 'feedback:up', rating: 5, comment: 'labi' } },
    { ...base, attachments: [{ contentType: 'image/png', contentUrl: 'https://example.lv/a.png', name: 'a.png' }] },
    { ...base, channelId: 'msteams', text: '<at>Asistents</at> darba laiks?', entities: [{ type: 'mention', mentioned: { id: 'bot', name: 'Asistents' }, text: '<at>Asistents</at>' }], channelData: { tenant: { id: 't1' } } },
    { ...base, type: 'conversationUpdate', text: undefined as unknown as Json, membersAdded: [{ id: 'bot' }, { id: 'user-1' }] },
    { ...base, channelId: 'telegram', text: '/start' },
  ];
}

function weird(rnd: Rnd): Json {
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const nest = (depth: number): Json => (depth === 0 ? 'x' : { a: nest(depth - 1) });
  return pick<() => Json>([
    () => null,
    () => 0,
    () => -1,
    () => 1e308,
    () => true,
    () => '',
    () => ' ',
    () => 'x'.repeat(Math.floor(rnd() * 60_000)),
    () => '161175-19997 '.repeat(2000),
    () => 'a@'.repeat(20_000),
    () => '\u0000\ud800\udfff\u202e\u2011\uff11\u200b',
    () => '__proto__',
    () => ({ __proto__: { polluted: true }, constructor: { prototype: { polluted: true } } }) as unknown as Json,
    () => [],
    () => Array.from({ length: 500 }, (_, i) => i),
    () => ({ toLowerCase: 'x', length: -1 }),
    () => nest(200),
    () => '1e+23',
    () => 'javascript:alert(1)',
    () => 'http://169.254.169.254/latest/meta-data/',
    () => 'ftp://x',
    () => new Date(0).toISOString(),
    () => 'not a date',
  ])();
}

const FIELDS = ['type', 'id', 'text', 'locale', 'channelId', 'serviceUrl', 'deliveryMode', 'timestamp', 'localTimestamp', 'replyToId', 'value', 'attachments', 'entities', 'channelData', 'membersAdded', 'from', 'from.id', 'from.name', 'recipient', 'recipient.id', 'conversation', 'conversation.id', 'conversation.isGroup', 'textFormat', 'name', 'unknownField', 'attachments.0', 'attachments.0.content', 'entities.0.mentioned', 'channelData.clientActivityID', 'value.comment'];

function setPath(obj: Record<string, Json>, dotted: string, value: Json | undefined): void {
  const keys = dotted.split('.');
  let at: Record<string, Json> = obj;
  for (const k of keys.slice(0, -1)) {
    const next = at[k];
    if (!next || typeof next !== 'object') at[k] = /^\d+$/.test(keys[keys.indexOf(k) + 1] ?? '') ? [] : {};
    at = at[k] as Record<string, Json>;
  }
  const last = keys[keys.length - 1]!;
  if (value === undefined) delete at[last];
  else at[last] = value;
}

/** A valid activity with 1-3 fields replaced or removed; sometimes a raw body that is not even JSON. */
function mutate(rnd: Rnd, i: number): { body: string; contentType: string; what: string } {
  const all = seeds(i);
  const activity = JSON.parse(JSON.stringify(all[Math.floor(rnd() * all.length)]!)) as Record<string, Json>;
  const changes: string[] = [];
  const n = 1 + Math.floor(rnd() * 3);
  for (let k = 0; k < n; k++) {
    const field = FIELDS[Math.floor(rnd() * FIELDS.length)]!;
    const value = rnd() < 0.15 ? undefined : weird(rnd);
    setPath(activity, field, value);
    changes.push(`${field}=${value === undefined ? '(removed)' : JSON.stringify(value).slice(0, 40)}`);
  }
  let body = JSON.stringify(activity);
  let contentType = 'application/json';
  const r = rnd();
  if (r < 0.02) {
    body = body.slice(0, Math.floor(body.length / 2));
    changes.push('(truncated JSON)');
  } else if (r < 0.04) {
    body = body.replace(/}$/, `,"value":${'['.repeat(20_000)}${']'.repeat(20_000)}}`);
    changes.push('(value nested 20,000 deep)');
  } else if (r < 0.05) {
    contentType = 'text/plain';
    changes.push('(text/plain)');
  }
  return { body, contentType, what: changes.join(', ') };
}

interface Sent { target: string; status: number; what: string }

async function send(url: string, body: string, contentType: string, token?: string): Promise<number> {
  const res = await fetch(url, {
    method: 'POST', body, signal: AbortSignal.timeout(20_000),
    headers: { 'content-type': contentType, ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  await res.arrayBuffer();
  return res.status;
}

test(`fuzz: ${COUNT} mutated activities to /api/messages and the Direct Line (seed ${SEED})`, async () => {
  bot = await BotProcess.start({
    name: 'fuzz', logDir,
    env: { DATA_DIR: path.join(logDir, 'data'), LOG_LEVEL: 'warn', MESSAGES_PER_MINUTE: '0', OUTBOUND_TIMEOUT_MS: '500' },
  });
  const rnd = mulberry32(SEED);
  const grants: Array<{ token: string; conversationId: string }> = [];
  for (let i = 0; i < DIRECT_LINE_CONVERSATIONS; i++) {
    const res = await fetch(`${bot.baseUrl}/api/directline/token`, { method: 'POST' });
    expect(res.status).toBe(200);
    const grant = (await res.json()) as { token: string; conversationId: string };
    expect(await send(`${bot.baseUrl}/v3/directline/conversations`, '{}', 'application/json', grant.token)).toBeLessThan(300);
    grants.push(grant);
  }
  const jobs = Array.from({ length: COUNT }, (_, i) => ({ i, ...mutate(rnd, i), directLine: i % 2 === 1 }));
  const sent: Sent[] = [];
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++]!;
      const grant = grants[job.i % grants.length]!;
      const url = job.directLine
        ? `${bot!.baseUrl}/v3/directline/conversations/${grant.conversationId}/activities`
        : `${bot!.baseUrl}/api/messages`;
      let status: number;
      try {
        status = await send(url, job.body, job.contentType, job.directLine ? grant.token : undefined);
      } catch (err) {
        status = -1;
        job.what += ` (${(err as Error).name})`;
      }
      sent.push({ target: job.directLine ? 'directline' : 'messages', status, what: job.what });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));

  const byStatus = new Map<string, number>();
  for (const s of sent) byStatus.set(`${s.target} ${s.status}`, (byStatus.get(`${s.target} ${s.status}`) ?? 0) + 1);
  console.log(`fuzz seed ${SEED}: ${[...byStatus].sort().map(([k, v]) => `${k}: ${v}`).join(', ')}`);
  const bad = sent.filter((s) => s.status >= 500 || s.status < 0);
  expect(bad.slice(0, 5)).toEqual([]);

  expect(bot.running).toBe(true);
  expect((await bot.get('/healthz')).status).toBe(200);
  const answer = await bot.say(`fuzz-after-${SEED}`, 'Kur jūs atrodaties?');
  expect(answer.status).toBe(200);
  expect(answer.activities.map((a) => a.text ?? '').join('\n')).toMatch(/Bruņinieku iela 72B/);
  expect(readFileSync(bot.stderrFile, 'utf8')).toBe('');
  await bot.stop('SIGTERM', 15_000);
}, 120_000);
