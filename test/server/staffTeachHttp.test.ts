import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAssistant, type Assistant } from '../../server/assistant';
import { loadConfig } from '../../server/config';
import { createLogger } from '../../server/logger';
import type { QueueGroup } from '../../staff/teachQueue';
import { HttpBot } from '../support/httpBot';
import { oneTimePassword, StaffClient, staffCli } from '../support/staffClient';

/**
 * The queue and teaching over real HTTP on the disk default: its JSON, roles (a viewer sees the
 * queue but cannot teach or export), CSRF, the pages' security headers, and ignoring a group.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'staff-teach-http-'));
let assistant: Assistant;
let bot: HttpBot;
let viewer: StaffClient;
let reviewer: StaffClient;

async function firstSignIn(name: string, role: string, newPassword: string): Promise<StaffClient> {
  const cli = staffCli(['add', name, '--role', role], { DATA_DIR: dataDir });
  expect(cli.status).toBe(0);
  const password = oneTimePassword(cli.stdout);
  const c = new StaffClient(bot.baseUrl);
  expect((await c.signIn(name, password)).url).toBe('/staff/password');
  expect((await c.post('/staff/password', { current: password, new: newPassword, repeat: newPassword })).url).toMatch(/^\/staff\/conversations/);
  return c;
}

beforeAll(async () => {
  assistant = createAssistant(loadConfig({ DATA_DIR: dataDir }), { logger: createLogger('silent') });
  bot = await HttpBot.start(assistant.app);
  await bot.say(`teach-http-${process.pid}-1`, 'Kur jūsu kantoris?');
  await bot.say(`teach-http-${process.pid}-2`, 'vai jums ir suņu frizētava?');
  await assistant.stores.transcripts.flush();
  viewer = await firstSignIn('vera', 'viewer', 'Veras ilgā parole 2026');
  reviewer = await firstSignIn('rita', 'reviewer', 'Ritas ilgā parole 2026');
}, 90_000);

afterAll(async () => {
  await bot?.close();
  await assistant?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test('without a session the queue\'s JSON answers 401 and its page leads to sign-in', async () => {
  const c = new StaffClient(bot.baseUrl);
  expect((await c.get('/staff/queue.json')).status).toBe(401);
  expect((await c.get('/staff/queue')).url).toBe(`/staff/signin?next=${encodeURIComponent('/staff/queue')}`);
});

test('a viewer sees the queue (page and JSON) but cannot teach, change a status or export', async () => {
  const page = await viewer.get('/staff/queue');
  expect(page.status).toBe(200);
  expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
  expect(page.text).not.toMatch(/<script/i);
  expect(page.text).toContain('Neatbildētie un šaubīgie jautājumi');
  const data = JSON.parse((await viewer.get('/staff/queue.json')).text) as { groups: QueueGroup[]; counts: Record<string, number> };
  const office = data.groups.find((g) => g.messages.some((m) => m.text === 'Kur jūsu kantoris?'))!;
  expect(office).toMatchObject({ lang: 'lv', count: 1, status: 'new', reasons: { fallback: 1 } });
  expect(data.counts.new).toBeGreaterThanOrEqual(2);
  const detail = JSON.parse((await viewer.get(`/staff/queue/${office.id}.json`)).text) as { proposal: { intents: Array<{ intent: string }> } };
  expect(detail.proposal.intents[0]!.intent).toBe('address');
  const groupPage = await viewer.get(`/staff/queue/${office.id}`);
  expect(groupPage.text).not.toContain('id="teach-form"');
  expect(groupPage.text).toContain('Mācīt asistentu var recenzenti un administratori.');
  expect((await viewer.post('/staff/teach/preview', { text: 'Kur jūsu kantoris?', lang: 'lv', target: 'intent:address' })).status).toBe(403);
  expect((await viewer.post('/staff/teach/apply', { text: 'Kur jūsu kantoris?', lang: 'lv', target: 'intent:address' })).status).toBe(403);
  expect((await viewer.post(`/staff/queue/${office.id}/status`, { status: 'ignored' })).status).toBe(403);
  expect((await viewer.get('/staff/changes/export.json')).status).toBe(403);
  expect((await viewer.get('/staff/changes')).status).toBe(200);
});

test('a reviewer\'s state changes need the CSRF token; ignoring a group moves it to the ignored tab', async () => {
  const data = JSON.parse((await reviewer.get('/staff/queue.json')).text) as { groups: QueueGroup[] };
  const physics = data.groups.find((g) => g.messages.some((m) => m.text.startsWith('vai jums ir suņu frizētava')))!;
  await reviewer.get(`/staff/queue/${physics.id}`);
  expect((await reviewer.post(`/staff/queue/${physics.id}/status`, { status: 'ignored', _csrf: null })).status).toBe(403);
  expect((await reviewer.post('/staff/teach/apply', { text: 'vai jums ir suņu frizētava', lang: 'lv', target: 'intent:address', _csrf: null })).status).toBe(403);
  const r = await reviewer.post(`/staff/queue/${physics.id}/status`, { status: 'ignored' });
  expect(r.url).toBe('/staff/queue?tab=ignored&done=status');
  expect(r.text).toContain('vai jums ir suņu frizētava');
  const ignored = JSON.parse((await reviewer.get('/staff/queue.json?tab=ignored')).text) as { groups: QueueGroup[] };
  expect(ignored.groups.map((g) => g.id)).toEqual([physics.id]);
  expect(ignored.groups[0]!.statusBy).toBe('rita');
  // nothing taught yet: the export is the training.json shape, empty
  const exported = await reviewer.get('/staff/changes/export.json');
  expect(exported.headers.get('content-disposition')).toMatch(/training-changes\.json/);
  expect(JSON.parse(exported.text)).toEqual({ training: { lv: {}, en: {} }, factAnswers: { lv: {}, en: {} }, changes: [] });
  // bad input is a 400, before any training
  expect((await reviewer.post('/staff/teach/preview', { text: 'kur', lang: 'lv', target: 'intent:nope' })).status).toBe(400);
});
