import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAssistant, type Assistant } from '../../server/assistant';
import { loadConfig } from '../../server/config';
import { createLogger } from '../../server/logger';
import { AuditLog } from '../../staff/audit';
import { DiskStaffKv } from '../../staff/diskKv';
import { HttpBot, texts } from '../support/httpBot';
import { oneTimePassword, pageText, StaffClient, staffCli } from '../support/staffClient';

/**
 * Notices and facts in the staff console over real HTTP (disk default): viewers read, reviewers
 * change; CSRF; the preview changes nothing; a saved change answers citizens at once on
 * /api/messages; user text is never HTML; every change is audited.
 */
const NOW = '2026-11-26T09:30:00Z'; // Thursday in Riga; Friday 27th is a working day
const dataDir = mkdtempSync(join(tmpdir(), 'staff-knowledge-http-'));
let assistant: Assistant;
let bot: HttpBot;
let viewer: StaffClient;
let reviewer: StaffClient;
let asked = 0;
const ask = async (text: string, locale = 'lv-LV') => texts(await bot.say(`k-${++asked}`, text, { locale }));

async function account(name: string, role: string): Promise<StaffClient> {
  const cli = staffCli(['add', name, '--role', role], { DATA_DIR: dataDir });
  expect(cli.status).toBe(0);
  const first = oneTimePassword(cli.stdout);
  const c = new StaffClient(bot.baseUrl);
  await c.signIn(name, first);
  const changed = await c.post('/staff/password', { current: first, new: `${name} ilga jauna parole 1`, repeat: `${name} ilga jauna parole 1` });
  expect(changed.url).toMatch(/^\/staff\/conversations/);
  return c;
}

const notice = (extra: Record<string, string> = {}) => ({
  op: 'save', textLv: 'Piektdien Centrs ir slēgts <b>remonta</b> dēļ.', textEn: 'On Friday the Centre is closed for <b>repairs</b>.',
  from: '2026-11-26', to: '2026-11-27', scope: 'hours', schedules: 'certificate_reception', change: 'closed', date: '2026-11-27', hours: '', ...extra,
});

beforeAll(async () => {
  assistant = createAssistant(loadConfig({ DATA_DIR: dataDir }), { logger: createLogger('silent'), clock: () => new Date(NOW) });
  bot = await HttpBot.start(assistant.app);
  viewer = await account('vera', 'viewer');
  reviewer = await account('rita', 'reviewer');
}, 60_000);

afterAll(async () => {
  await bot?.close();
  await assistant?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a viewer', () => {
  test('reads the notices and facts but cannot change them', async () => {
    const list = await viewer.get('/staff/notices');
    expect(list.status).toBe(200);
    expect(list.text).toMatch(/<h1>Paziņojumi<\/h1>/);
    expect(list.text).not.toContain('id="new-notice"');
    expect((await viewer.get('/staff/notices/new')).status).toBe(403);
    expect((await viewer.post('/staff/notices', notice())).status).toBe(403);
    const fact = await viewer.get('/staff/facts/rep.submit_anyone');
    expect(fact.status).toBe(200);
    expect(pageText(fact.text)).toContain('jebkura persona');
    expect(fact.text).not.toContain('id="fact-form"');
    expect((await viewer.post('/staff/facts/rep.submit_anyone', { op: 'save', outdated: 'on', reason: 'viewer tries' })).status).toBe(403);
  });
});

describe('a reviewer', () => {
  test('cannot post without the CSRF token', async () => {
    expect((await reviewer.post('/staff/notices', { ...notice(), _csrf: null })).status).toBe(403);
  });

  test('previews a notice (nothing changes), publishes it (the answer changes at once), edits it and ends it', async () => {
    await reviewer.get('/staff/notices/new');
    const preview = await reviewer.post('/staff/notices', notice({ op: 'preview' }));
    expect(preview.status).toBe(200);
    expect(pageText(preview.text)).toMatch(/rīt ir slēgts, pieņemšanas nav/i);
    // user text is text, never markup
    expect(preview.text).not.toContain('<b>remonta</b>');
    expect(preview.text).toContain('&lt;b&gt;remonta&lt;/b&gt;');
    expect(await ask('vai rīt strādājat?')).not.toMatch(/slēgts/);

    const saved = await reviewer.post('/staff/notices', notice());
    expect(saved.url).toBe('/staff/notices?done=created');
    expect(await ask('vai rīt strādājat?')).toMatch(/rīt ir slēgts, pieņemšanas nav/i);
    expect(await ask('are you open tomorrow?', 'en-US')).toMatch(/closed for <b>repairs<\/b>/);
    const id = /data-id="(n-\d{8}-[0-9a-f]{8})"/.exec(saved.text)![1]!;

    await reviewer.get(`/staff/notices/${id}`);
    await reviewer.post(`/staff/notices/${id}`, notice({ change: 'hours', hours: '12:00-14:00' }));
    expect(await ask('vai rīt strādājat?')).toMatch(/12\.00.{1,3}14\.00/);
    const page = await reviewer.get(`/staff/notices/${id}`);
    expect(pageText(page.text)).toMatch(/Versijas.*laboja.*izveidoja/s);

    await reviewer.post(`/staff/notices/${id}/end`, {});
    expect(await ask('vai rīt strādājat?')).not.toMatch(/12\.00.{1,3}14\.00|slēgts/);
  });

  test('a notice without English or with a day outside its dates is refused, and kept in the form', async () => {
    await reviewer.get('/staff/notices/new');
    const refused = await reviewer.post('/staff/notices', notice({ textEn: '', date: '2026-12-24' }));
    expect(refused.status).toBe(400);
    expect(pageText(refused.text)).toContain('Ierakstiet tekstu angliski.');
    expect(pageText(refused.text)).toContain('Norādiet dienu derīguma laikā.');
    expect(refused.text).toContain('Piektdien Centrs ir slēgts');
  });

  test('marks a fact outdated with a reason (the assistant sends to the Centre), then reverts it in one click', async () => {
    await reviewer.get('/staff/facts/rep.submit_anyone');
    const noReason = await reviewer.post('/staff/facts/rep.submit_anyone', { op: 'save', outdated: 'on', reason: '' });
    expect(noReason.status).toBe(400);
    const saved = await reviewer.post('/staff/facts/rep.submit_anyone', { op: 'save', outdated: 'on', reason: 'Noteikumi mainās' });
    expect(saved.url).toBe('/staff/facts/rep.submit_anyone?done=outdated');
    expect(await ask('iesniegt cita vietā')).toMatch(/pārbaudiet to Centrā: tālrunis \+371/);
    const list = await reviewer.get('/staff/facts');
    expect(pageText(list.text)).toMatch(/rep\.submit_anyone .*novecojis/);
    await reviewer.post('/staff/facts/rep.submit_anyone/revert', {});
    expect(await ask('iesniegt cita vietā')).toContain('jebkura persona');
  });

  test('every change is in the audit log', async () => {
    const kv = new DiskStaffKv(dataDir);
    const entries = await new AuditLog(kv).query({ from: new Date(Date.parse(NOW) - 3600_000), to: new Date(Date.parse(NOW) + 3600_000), actor: 'rita' });
    const actions = entries.map((e) => e.action);
    for (const a of ['notice_created', 'notice_edited', 'notice_ended', 'fact_outdated', 'fact_reverted']) expect(actions).toContain(a);
    expect(entries.find((e) => e.action === 'fact_outdated')!.detail).toContain('Noteikumi mainās');
    expect(actions).not.toContain('fact_edited');
  });
});
