import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAssistant, type Assistant } from '../../server/assistant';
import { loadConfig } from '../../server/config';
import { createLogger } from '../../server/logger';
import { HttpBot } from '../support/httpBot';
import { oneTimePassword, pageText, StaffClient, staffCli } from '../support/staffClient';
import { PERSONAL_CODE, seedConversations } from '../support/staffSeed';

/**
 * The staff console over real HTTP, on the disk default: accounts made with the CLI and the
 * accounts page, sign-in, roles, CSRF, the list and its filters, one conversation, review,
 * export, audit, dashboard, erasure, timeouts and lockout. The steps share one server and run in order.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'staff-console-'));
const TOKEN = 'staff-token-0123456789abcdef';
let clockMs = Date.now();
let assistant: Assistant;
let bot: HttpBot;
let convA = '';
let convB = '';
const passwords: Record<string, string> = {};
const NEW_ADMIN_PASSWORD = 'Pareiza zirga baterija 42';
const MIN = 60_000;

const admin = () => new StaffClient(bot.baseUrl);
async function signedIn(name: string, password: string): Promise<StaffClient> {
  const c = new StaffClient(bot.baseUrl);
  const r = await c.signIn(name, password);
  expect(r.status).toBe(200);
  return c;
}

beforeAll(async () => {
  assistant = createAssistant(loadConfig({ DATA_DIR: dataDir, STAFF_TOKEN: TOKEN, TRUST_PROXY_HOPS: '1' }), {
    logger: createLogger('silent'), clock: () => new Date(clockMs),
  });
  bot = await HttpBot.start(assistant.app);
  ({ a: convA, b: convB } = await seedConversations(bot, assistant.stores, String(process.pid)));
}, 60_000);

afterAll(async () => {
  await bot?.close();
  await assistant?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('without a session', () => {
  test.each(['/staff', '/staff/conversations', `/staff/conversations/x`, '/staff/dashboard', '/staff/audit', '/staff/accounts', '/staff/retention', '/staff/password'])(
    '%s leads to the sign-in page', async (path) => {
      const c = new StaffClient(bot.baseUrl);
      const r = await c.get(path);
      expect(r.url).toBe(`/staff/signin?next=${encodeURIComponent(path)}`);
      expect(r.text).toMatch(/<h1>Pieslēgšanās<\/h1>/);
    });

  test('no conversation leaks: its page, the dashboard numbers and an export answer without its text', async () => {
    const c = new StaffClient(bot.baseUrl);
    const page = await c.get(`/staff/conversations/${encodeURIComponent(convA)}`);
    expect(page.text).not.toMatch(/sodāmības|PERSONAL_CODE|personas kods/);
    expect((await c.get('/staff/dashboard.json')).status).toBe(401);
    const exported = await fetch(`${bot.baseUrl}/staff/export`, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ reason: 'testing leaks' }) });
    expect(exported.status).toBe(303);
    expect(await exported.text()).not.toMatch(/sodāmības/);
  });

  test('pages carry a strict CSP and the other security headers', async () => {
    const r = await new StaffClient(bot.baseUrl).get('/staff/signin');
    const csp = r.headers.get('content-security-policy')!;
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(csp).not.toMatch(/unsafe-inline|script-src/);
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('referrer-policy')).toBe('no-referrer');
    expect(r.text).not.toMatch(/<script/i);
  });
});

describe('accounts and sign-in', () => {
  test('the CLI creates the first admin and prints a one-time password on its own line', () => {
    const r = staffCli(['add', 'Anna', '--role', 'admin'], { DATA_DIR: dataDir });
    expect(r.status).toBe(0);
    passwords.anna = oneTimePassword(r.stdout);
    expect(passwords.anna).toMatch(/^\S{20}$/);
    const list = staffCli(['list'], { DATA_DIR: dataDir });
    expect(list.stdout).toMatch(/^anna\tadmin\tactive\tmust change password$/m);
  });

  test('the password is stored only as an Argon2id hash with OWASP parameters', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const dir = join(dataDir, 'staff', 'account');
    const file = readFileSync(join(dir, readdirSync(dir)[0]!), 'utf8');
    expect(file).toMatch(/\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(file).not.toContain(passwords.anna);
  });

  test('sign-in rotates the session id, sets a HttpOnly SameSite=Lax cookie, and forces the password change first', async () => {
    const c = admin();
    await c.get('/staff/signin');
    // A session id planted before sign-in is not the one after it.
    const planted = 'A'.repeat(43);
    await c.get(`/staff/lang?to=lv`);
    (c as unknown as { cookies: Map<string, string> }).cookies.set('staff_sid', planted);
    const res = await fetch(`${bot.baseUrl}/staff/signin`, {
      method: 'POST', redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `staff_signin=${c.cookie('staff_signin')}; staff_sid=${planted}` },
      body: new URLSearchParams({ _csrf: c.csrf, name: 'anna', password: passwords.anna! }).toString(),
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/staff/password');
    const cookie = res.headers.getSetCookie().find((s) => s.startsWith('staff_sid='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/); // plain http on 127.0.0.1 only
    expect(cookie).not.toContain(planted);

    const signed = new StaffClient(bot.baseUrl);
    expect((await signed.signIn('anna', passwords.anna!)).url).toBe('/staff/password');
    expect((await signed.get('/staff/conversations')).url).toBe('/staff/password');
    const weak = await signed.post('/staff/password', { current: passwords.anna!, new: 'short', repeat: 'short' });
    expect(weak.status).toBe(400);
    const ok = await signed.post('/staff/password', { current: passwords.anna!, new: NEW_ADMIN_PASSWORD, repeat: NEW_ADMIN_PASSWORD });
    expect(ok.url).toBe('/staff/conversations?done=password');
    expect(ok.text).toMatch(/<h1>Sarunas<\/h1>/);
    // The one-time password is spent.
    const again = await new StaffClient(bot.baseUrl).signIn('anna', passwords.anna!);
    expect(pageText(again.text)).toMatch(/Nepareizs lietotājvārds vai parole/);
  });

  test('an admin creates a reviewer and a viewer on the accounts page', async () => {
    const c = await signedIn('anna', NEW_ADMIN_PASSWORD);
    await c.get('/staff/accounts');
    for (const [name, role] of [['rita', 'reviewer'], ['viktors', 'viewer']] as const) {
      const r = await c.post('/staff/accounts', { name, role });
      expect(r.status).toBe(200);
      passwords[name] = /id="one-time-password">([^<]+)</.exec(r.text)![1]!;
    }
    for (const name of ['rita', 'viktors']) {
      const s = await signedIn(name, passwords[name]!);
      await s.post('/staff/password', { current: passwords[name]!, new: `${name} jaunā parole 123`, repeat: `${name} jaunā parole 123` });
      passwords[name] = `${name} jaunā parole 123`;
    }
  });

  test('sign-out destroys the session: the old cookie leads to the sign-in page', async () => {
    const c = await signedIn('rita', passwords.rita!);
    const sid = c.cookie('staff_sid')!;
    await c.get('/staff/conversations');
    const out = await c.post('/staff/signout', {});
    expect(pageText(out.text)).toMatch(/Jūs esat izgājis/);
    const res = await fetch(`${bot.baseUrl}/staff/conversations`, { redirect: 'manual', headers: { cookie: `staff_sid=${sid}` } });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(/^\/staff\/signin/);
  });
});

describe('conversations', () => {
  test('the list filters thumbs down, searches Latvian without diacritics, and pages on the server', async () => {
    const c = await signedIn('rita', passwords.rita!);
    const list = async (query: string) => {
      const r = await c.get(`/staff/conversations?${query}`);
      expect(r.status).toBe(200);
      return { text: r.text, ids: [...r.text.matchAll(/href="\/staff\/conversations\/([^"?]+)"/g)].map((m) => decodeURIComponent(m[1]!)) };
    };
    expect((await list('')).ids).toEqual(expect.arrayContaining([convA, convB]));
    expect((await list('thumbsDown=1')).ids).toEqual([convA]);
    expect((await list('q=sodamibas')).ids).toEqual([convA]);
    expect((await list('q=SODAMIBAS%20izzina')).ids).toEqual([convA]);
    expect((await list('q=opening')).ids).toEqual([convB]);
    expect((await list('language=en')).ids).toEqual([convB]);
    expect((await list('hasComment=1')).ids).toEqual([convA]);
    expect((await list('outcome=answered')).ids).toEqual([convB, convA]);
    const today = new Date(clockMs).toISOString().slice(0, 10);
    expect((await list(`from=2020-01-01&to=2020-01-31`)).ids).toEqual([]);
    expect((await list(`from=${today}&to=${today}&thumbsDown=1`)).ids).toEqual([convA]);
    const page = await list('');
    expect(page.text).toMatch(/Pirmais jautājums/);
    expect(pageText(page.text)).toContain('Cik maksā sodāmības izziņa?');
    expect(pageText(page.text)).not.toContain(PERSONAL_CODE);
  });

  test('one conversation shows every turn, intent, score, runner-up, provenance, ratings and the masked personal code', async () => {
    const c = await signedIn('rita', passwords.rita!);
    const r = await c.get(`/staff/conversations/${encodeURIComponent(convA)}`);
    const text = pageText(r.text);
    expect(text).toContain('Cik maksā sodāmības izziņa?');
    expect(text).toMatch(/Nodoms fees/);
    expect(text).toMatch(/Ticamība \d\.\d{3}/);
    expect(text).toMatch(/Otrais variants \w+ \(\d\.\d{3}\)/);
    expect(text).toMatch(/Avots Tēma: fees ; Fakti: fees\.payment_order ; Standarta sadaļa: KLIENTU APKALPOŠANAS VIETA UN PIEŅEMŠANAS LAIKS/);
    expect(text).toMatch(/👎 nav noderīga · Komentārs: nav norādīta summa/);
    expect(r.text).toMatch(/<mark class="masked" data-mask="personalCode">\[personas kods, maskēts\]<\/mark>/);
    expect(r.text).not.toContain(PERSONAL_CODE);
    expect(text).toMatch(/Pogas/);
  });

  test('a reviewer marks it reviewed with a verdict, tags and a note (personal data in the note masked)', async () => {
    const c = await signedIn('rita', passwords.rita!);
    await c.get(`/staff/conversations/${encodeURIComponent(convA)}`);
    const r = await c.post(`/staff/conversations/${encodeURIComponent(convA)}/review`, {
      reviewed: 'on', verdict: 'missing', tags: 'Cena, izziņas', note: 'Lietotājs atstāja tālruni 29123456',
    });
    expect(pageText(r.text)).toMatch(/Saglabāts/);
    expect(r.text).toMatch(/value="cena, izziņas"/);
    expect(r.text).not.toContain('29123456');
    const tagged = await c.get('/staff/conversations?tag=cena');
    expect(tagged.text).toContain(encodeURIComponent(convA));
    const open = await c.get('/staff/conversations?notReviewed=1');
    expect(open.text).not.toContain(encodeURIComponent(convA));
    expect(open.text).toContain(encodeURIComponent(convB));
  });

  test('export: CSV of the filtered conversations with a reason, one row per conversation or per turn', async () => {
    const c = await signedIn('rita', passwords.rita!);
    await c.get('/staff/conversations?thumbsDown=1');
    const csv = await c.post('/staff/export', { thumbsDown: '1', format: 'csv', shape: 'conversations', reason: 'Nedēļas pārskats' });
    expect(csv.headers.get('content-disposition')).toMatch(/attachment; filename="conversations-conversations-.*\.csv"/);
    const lines = csv.text.replace(/^\ufeff/, '').trim().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^conversationId,channelId,/);
    expect(lines[1]).toContain(convA);
    const turns = await c.post('/staff/export', { thumbsDown: '1', format: 'json', shape: 'turns', reason: 'Nedēļas pārskats' });
    const rows = JSON.parse(turns.text) as Array<{ conversationId: string; text: string }>;
    expect(rows.length).toBeGreaterThan(4);
    expect(rows.every((row) => row.conversationId === convA)).toBe(true);
    expect(turns.text).not.toContain(PERSONAL_CODE);
    expect(turns.text).toContain('[PERSONAL_CODE]');
    const noReason = await c.post('/staff/export', { format: 'csv', reason: '' });
    expect(noReason.status).toBe(400);
  });
});

describe('roles and CSRF', () => {
  test('a form posted without its CSRF token is refused with 403', async () => {
    const c = await signedIn('rita', passwords.rita!);
    const r = await c.post(`/staff/conversations/${encodeURIComponent(convB)}/review`, { _csrf: null, reviewed: 'on', tags: '' });
    expect(r.status).toBe(403);
    const wrong = await c.post(`/staff/conversations/${encodeURIComponent(convB)}/review`, { _csrf: 'x'.repeat(43), reviewed: 'on', tags: '' });
    expect(wrong.status).toBe(403);
    expect((await c.get('/staff/conversations?notReviewed=1')).text).toContain(encodeURIComponent(convB));
  });

  test('a viewer reads but cannot export, review or see the audit log', async () => {
    const c = await signedIn('viktors', passwords.viktors!);
    const list = await c.get('/staff/conversations');
    expect(list.text).not.toMatch(/action="\/staff\/export"/);
    expect((await c.post('/staff/export', { format: 'csv', reason: 'gribu redzēt' })).status).toBe(403);
    expect((await c.post(`/staff/conversations/${encodeURIComponent(convB)}/review`, { reviewed: 'on', tags: '' })).status).toBe(403);
    expect((await c.get('/staff/audit')).status).toBe(403);
  });

  test('a reviewer cannot erase, manage accounts or read the audit log', async () => {
    const c = await signedIn('rita', passwords.rita!);
    await c.get(`/staff/conversations/${encodeURIComponent(convA)}`);
    expect((await c.post(`/staff/conversations/${encodeURIComponent(convA)}/erase`, { confirm: 'on' })).status).toBe(403);
    expect((await c.get('/staff/accounts')).status).toBe(403);
    expect((await c.post('/staff/accounts', { name: 'mallory', role: 'admin' })).status).toBe(403);
    expect((await c.get('/staff/audit')).status).toBe(403);
    expect((await assistant.stores.transcripts.get(convA)).length).toBeGreaterThan(0);
  });
});

describe('audit log, dashboard, erasure', () => {
  test('the admin answers "who viewed conversation A" with one filter, and sees the export and its reason', async () => {
    const c = await signedIn('anna', NEW_ADMIN_PASSWORD);
    const r = await c.get(`/staff/audit?target=${encodeURIComponent(convA)}&action=view_conversation`);
    const rows = [...r.text.matchAll(/<tr data-action="([^"]+)"><td>[^<]*<\/td><td>([^<]*)<\/td>/g)].map((m) => `${m[2]} ${m[1]}`);
    expect(new Set(rows)).toEqual(new Set(['rita view_conversation']));
    const exports = pageText((await c.get('/staff/audit?action=export')).text);
    expect(exports).toMatch(/rita eksportēja .*reason=Nedēļas pārskats/);
    const csv = await c.get('/staff/audit.csv?actor=rita');
    expect(csv.text).toMatch(/^\ufeff?timestamp,actor,action,target,ip,detail\r\n/);
    expect(csv.text).toMatch(/,rita,signin,/);
    const failed = pageText((await c.get('/staff/audit?action=signin_failed')).text);
    expect(failed).toMatch(/anna neveiksmīga pieslēgšanās/);
  });

  test('the dashboard has the same feedback numbers as /api/staff/feedback for the same period', async () => {
    const c = await signedIn('viktors', passwords.viktors!);
    const today = new Date(clockMs);
    const day = (d: Date) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Riga' }).format(d);
    const q = `from=${day(new Date(today.getTime() - 6 * 86_400_000))}&to=${day(today)}`;
    const mine = JSON.parse((await c.get(`/staff/dashboard.json?${q}`)).text) as { feedback: unknown; conversations: { total: number }; turns: { questions: number } };
    const api = await (await fetch(`${bot.baseUrl}/api/staff/feedback?${q}`, { headers: { authorization: `Bearer ${TOKEN}` } })).json();
    expect(mine.feedback).toEqual(api);
    expect(mine.conversations.total).toBeGreaterThanOrEqual(2);
    const page = await c.get(`/staff/dashboard?${q}`);
    expect(page.text).toMatch(/<svg class="chart" aria-hidden="true"/);
    expect(page.text).toContain(`id="kpi-csat-count">${(api as { csat: { count: number } }).csat.count}<`);
    expect(pageText(page.text)).toMatch(/Tēmas ar visvairāk 👎 .* fees 1/);
  });

  test('the retention page shows the period and a dry-run count; the admin erases conversation B', async () => {
    const c = await signedIn('anna', NEW_ADMIN_PASSWORD);
    const retention = pageText((await c.get('/staff/retention')).text);
    expect(retention).toMatch(/glabā 90 dienas/);
    expect(retention).toMatch(/dzēstu 0 sarunas/);
    await c.get(`/staff/conversations/${encodeURIComponent(convB)}`);
    const unconfirmed = await c.post(`/staff/conversations/${encodeURIComponent(convB)}/erase`, {});
    expect(pageText(unconfirmed.text)).toMatch(/Atzīmējiet apstiprinājumu/);
    const erased = await c.post(`/staff/conversations/${encodeURIComponent(convB)}/erase`, { confirm: 'on' });
    expect(pageText(erased.text)).toMatch(/Saruna dzēsta/);
    expect(await assistant.stores.transcripts.get(convB)).toEqual([]);
    expect((await c.get(`/staff/conversations/${encodeURIComponent(convB)}`)).status).toBe(404);
    expect(pageText((await c.get(`/staff/audit?action=erase`)).text)).toContain(`anna dzēsa sarunu ${convB}`);
  });

  test('English is one click away and stays', async () => {
    const c = await signedIn('viktors', passwords.viktors!);
    const r = await c.get('/staff/lang?to=en&back=/staff/conversations');
    expect(r.text).toMatch(/<h1>Conversations<\/h1>/);
    expect(r.text).toMatch(/<html lang="en">/);
    expect((await c.get('/staff/dashboard')).text).toMatch(/<h1>Dashboard<\/h1>/);
  });
});

describe('timeouts and lockout', () => {
  test('30 minutes idle ends the session: the next page is the sign-in page', async () => {
    const c = await signedIn('viktors', passwords.viktors!);
    clockMs += 29 * MIN;
    expect((await c.get('/staff/conversations')).url).toBe('/staff/conversations');
    clockMs += 31 * MIN;
    const r = await c.get('/staff/conversations');
    expect(r.url).toMatch(/^\/staff\/signin\?expired=1/);
    expect(pageText(r.text)).toMatch(/Sesija ir beigusies/);
  });

  test('10 hours after sign-in the session ends however busy it was', async () => {
    const c = await signedIn('viktors', passwords.viktors!);
    for (let i = 0; i < 23; i++) {
      clockMs += 25 * MIN;
      expect([i, (await c.get('/staff/dashboard.json')).status]).toEqual([i, 200]);
    }
    clockMs += 25 * MIN; // 10 h
    expect((await c.get('/staff/dashboard.json')).status).toBe(401);
  });

  test('an unknown name and a wrong password get the same answer', async () => {
    const c = new StaffClient(bot.baseUrl, { 'x-forwarded-for': '203.0.113.1' });
    const unknown = await c.signIn('nav-tada', 'kaut kas');
    const wrong = await c.signIn('viktors', 'nepareiza parole');
    expect([unknown.status, wrong.status]).toEqual([401, 401]);
    const message = (t: string) => /id="signin-error">([^<]+)</.exec(t)![1];
    expect(message(unknown.text)).toBe(message(wrong.text));
  });

  test('a wrong password 5 times locks the account and the address: the 6th try is refused even when right', async () => {
    const c = new StaffClient(bot.baseUrl, { 'x-forwarded-for': '203.0.113.2' });
    for (let i = 0; i < 5; i++) expect([i, (await c.signIn('rita', 'nepareiza parole')).status]).toEqual([i, 401]);
    const sixth = await c.signIn('rita', passwords.rita!);
    expect(sixth.status).toBe(429);
    expect(pageText(sixth.text)).toMatch(/Pārāk daudz neveiksmīgu mēģinājumu. Mēģiniet vēlreiz pēc 1 min/);
    expect(c.cookie('staff_sid')).toBeUndefined();
    // from another address the account is still locked; from the locked address so is every account
    expect((await new StaffClient(bot.baseUrl, { 'x-forwarded-for': '203.0.113.3' }).signIn('rita', passwords.rita!)).status).toBe(429);
    expect((await c.signIn('anna', NEW_ADMIN_PASSWORD)).status).toBe(429);
    clockMs += 2 * MIN;
    expect((await new StaffClient(bot.baseUrl, { 'x-forwarded-for': '203.0.113.4' }).signIn('rita', passwords.rita!)).url).toBe('/staff/conversations');
  });
});
