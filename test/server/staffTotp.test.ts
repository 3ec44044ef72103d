import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAssistant, type Assistant } from '../../server/assistant';
import { loadConfig } from '../../server/config';
import { createLogger } from '../../server/logger';
import { currentTotp } from '../../staff/totp';
import { HttpBot } from '../support/httpBot';
import { oneTimePassword, pageText, StaffClient, staffCli } from '../support/staffClient';

/** The second factor (TOTP) over real HTTP, with STAFF_REQUIRE_TOTP=true. */
const dataDir = mkdtempSync(join(tmpdir(), 'staff-totp-'));
let clockMs = Date.now();
let assistant: Assistant;
let http: HttpBot;
let key = '';
const PASSWORD = 'Administratora parole 2026';

beforeAll(async () => {
  assistant = createAssistant(loadConfig({ DATA_DIR: dataDir, STAFF_REQUIRE_TOTP: 'true', TRUST_PROXY_HOPS: '1' }), {
    logger: createLogger('silent'), clock: () => new Date(clockMs),
  });
  http = await HttpBot.start(assistant.app);
});

afterAll(async () => {
  await http?.close();
  await assistant?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test('an admin must set up a second factor before anything else, confirming it with a code', async () => {
  const otp = oneTimePassword(staffCli(['add', 'anna', '--role', 'admin'], { DATA_DIR: dataDir }).stdout);
  const c = new StaffClient(http.baseUrl);
  await c.signIn('anna', otp);
  const changed = await c.post('/staff/password', { current: otp, new: PASSWORD, repeat: PASSWORD });
  expect(changed.url).toBe('/staff/totp');
  expect((await c.get('/staff/conversations')).url).toBe('/staff/totp');
  const page = await c.get('/staff/totp');
  expect(pageText(page.text)).toMatch(/obligāta/);
  key = /id="totp-key">([^<]+)</.exec(page.text)![1]!.replace(/ /g, '');
  expect(page.text).toContain(`otpauth://totp/IeM%20IC%20asistents:anna?secret=${key}`);
  expect((await c.post('/staff/totp', { code: '000000' })).status).toBe(400);
  const ok = await c.post('/staff/totp', { code: currentTotp(key, clockMs) });
  expect(pageText(ok.text)).toMatch(/Otrais faktors ir pievienots/);
  expect((await c.get('/staff/conversations')).text).toMatch(/<h1>Sarunas<\/h1>/);
  expect(staffCli(['list'], { DATA_DIR: dataDir }).stdout).toMatch(/^anna\tadmin\tactive\ttotp$/m);
});

test('sign-in then asks for a code; nothing else opens before it; a code works once', async () => {
  clockMs += 60_000;
  const c = new StaffClient(http.baseUrl);
  const first = await c.signIn('anna', PASSWORD);
  expect(first.url).toBe('/staff/signin/totp');
  const pendingSid = c.cookie('staff_sid');
  expect((await c.get('/staff/conversations')).url).toBe('/staff/signin/totp');
  expect((await c.get('/staff/dashboard.json')).url).toBe('/staff/signin/totp');
  const code = currentTotp(key, clockMs);
  const done = await c.post('/staff/signin/totp', { code });
  expect(done.url).toBe('/staff/conversations');
  expect(c.cookie('staff_sid')).not.toBe(pendingSid);

  const again = new StaffClient(http.baseUrl);
  await again.signIn('anna', PASSWORD);
  const replay = await again.post('/staff/signin/totp', { code });
  expect(replay.status).toBe(401);
  expect(pageText(replay.text)).toMatch(/Kods nav pareizs vai jau izmantots/);
  clockMs += 30_000;
  expect((await again.post('/staff/signin/totp', { code: currentTotp(key, clockMs) })).url).toBe('/staff/conversations');
  const audit = pageText((await again.get('/staff/audit?actor=anna')).text);
  expect(audit).toMatch(/anna pieslēdzās .* totp/);
  expect(audit).toMatch(/anna nepareizs otrā faktora kods/);
  expect(audit).toMatch(/anna pievienoja otro faktoru/);
});

test('wrong codes count towards the lockout, and the pending session ends', async () => {
  clockMs += 10 * 60_000;
  const c = new StaffClient(http.baseUrl, { 'x-forwarded-for': '198.51.100.9' });
  await c.signIn('anna', PASSWORD);
  let last = await c.post('/staff/signin/totp', { code: '111111' });
  for (let i = 0; i < 4 && last.status === 401; i++) last = await c.post('/staff/signin/totp', { code: '111111' });
  expect(last.status).toBe(429);
  expect(pageText(last.text)).toMatch(/Pārāk daudz neveiksmīgu mēģinājumu/);
  expect((await c.get('/staff/conversations')).url).toMatch(/^\/staff\/signin/);
});

test('a reviewer is not forced to use a second factor; the CLI removes a lost one', async () => {
  const otp = oneTimePassword(staffCli(['add', 'rita', '--role', 'reviewer'], { DATA_DIR: dataDir }).stdout);
  const c = new StaffClient(http.baseUrl, { 'x-forwarded-for': '198.51.100.10' });
  await c.signIn('rita', otp);
  const r = await c.post('/staff/password', { current: otp, new: 'Ritas parole 12345', repeat: 'Ritas parole 12345' });
  expect(r.url).toBe('/staff/conversations?done=password');
  expect(staffCli(['totp-reset', 'anna'], { DATA_DIR: dataDir }).status).toBe(0);
  clockMs += 2 * 3600_000;
  const a = new StaffClient(http.baseUrl, { 'x-forwarded-for': '198.51.100.11' });
  expect((await a.signIn('anna', PASSWORD)).url).toBe('/staff/totp');
});
