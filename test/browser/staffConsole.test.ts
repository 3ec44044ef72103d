import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { createAssistant, type Assistant } from '../../server/assistant';
import { loadConfig } from '../../server/config';
import { createLogger } from '../../server/logger';
import { createStores } from '../../storage';
import { HttpBot } from '../support/httpBot';
import { redisServerAvailable, RedisServer } from '../support/redisServer';
import { oneTimePassword, staffCli } from '../support/staffClient';
import { PERSONAL_CODE, seedConversations } from '../support/staffSeed';
import { axeProblems, firstSignIn } from './staffPages';
import { CHROMIUM_PATH, chromiumInstalled, launchChromium, type BrowserSession } from './webchatPage';

/**
 * The staff console in a real browser (Debian's Chromium via playwright-core), as its users
 * work with it: the first admin made with the CLI signs in, replaces the one-time password and
 * creates a reviewer; the reviewer filters, searches, opens a conversation, reviews and exports
 * it; the admin reads all of it in the audit log. Every page is checked with axe-core.
 * Once on the disk default, once on Redis with two instances (signed in on one, working on the other).
 */
const inCi = process.env.CI === 'true';
const run = chromiumInstalled() || inCi ? describe : describe.skip;
if (!chromiumInstalled() && !inCi) console.warn(`\n*** SKIPPING the staff console browser tests: no Chromium at ${CHROMIUM_PATH}. Under CI=true they fail instead. ***\n`);


interface Instance {
  assistant: Assistant;
  http: HttpBot;
}


function rigaDay(offsetDays = 0): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Riga' }).format(new Date(Date.now() + offsetDays * 86_400_000));
}

function scenario(backend: 'disk' | 'redis'): void {
  const dataDirs: string[] = [];
  let redis: RedisServer | undefined;
  let one: Instance;
  let two: Instance;
  let browser: BrowserSession;
  let page: Page;
  let convA = '';
  let cliEnv: Record<string, string>;
  const accessibility: string[] = [];
  const consoleProblems: string[] = [];
  let reviewerPassword = '';

  const start = async (): Promise<Instance> => {
    const dataDir = mkdtempSync(join(tmpdir(), `staff-browser-${backend}-`));
    dataDirs.push(dataDir);
    const env: Record<string, string> = { DATA_DIR: dataDir, ...(redis ? { REDIS_URL: redis.url } : {}) };
    const config = loadConfig(env);
    const stores = redis ? await createStores({ dataDir, redisUrl: redis.url }) : undefined;
    const assistant = createAssistant(config, { logger: createLogger('silent'), ...(stores ? { stores } : {}) });
    return { assistant, http: await HttpBot.start(assistant.app) };
  };

  const visit = async (url: string) => {
    await page.goto(url);
    accessibility.push(...(await axeProblems(page)));
  };

  beforeAll(async () => {
    if (!chromiumInstalled()) throw new Error(`Chromium is missing at ${CHROMIUM_PATH}: .ci/run installs it with apt-get`);
    if (backend === 'redis') {
      if (!redisServerAvailable()) throw new Error('redis-server is missing');
      redis = await RedisServer.start();
    }
    one = await start();
    two = backend === 'redis' ? await start() : one;
    cliEnv = redis ? { REDIS_URL: redis.url, DATA_DIR: dataDirs[0]! } : { DATA_DIR: dataDirs[0]! };
    ({ a: convA } = await seedConversations(two.http, two.assistant.stores, `${backend}-${process.pid}`));
    browser = await launchChromium();
    page = browser.page;
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleProblems.push(msg.text());
    });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    for (const i of new Set([one, two])) {
      await i?.http.close();
      await i?.assistant.close();
    }
    await redis?.destroy();
    for (const d of dataDirs) rmSync(d, { recursive: true, force: true });
  });

  test('the admin made with the CLI signs in, replaces the one-time password and creates a reviewer', async () => {
    const cli = staffCli(['add', 'anna', '--role', 'admin'], cliEnv);
    expect(cli.status).toBe(0);
    const password = oneTimePassword(cli.stdout);
    await visit(`${one.http.baseUrl}/staff`);
    expect(await page.textContent('h1')).toBe('Pieslēgšanās');
    await page.fill('#name', 'anna');
    await page.fill('#password', password);
    await page.click('button[type=submit]');
    await page.waitForURL(/\/staff\/password$/);
    accessibility.push(...(await axeProblems(page)));
    await page.fill('#current', password);
    await page.fill('#new', 'Anna garā jaunā parole 1');
    await page.fill('#repeat', 'Anna garā jaunā parole 1');
    await page.click('main button[type=submit]');
    await page.waitForURL(/\/staff\/conversations/);
    expect(await page.textContent('h1')).toBe('Sarunas');
    accessibility.push(...(await axeProblems(page)));

    await visit(`${one.http.baseUrl}/staff/accounts`);
    await page.fill('#n-name', 'rita');
    await page.selectOption('#n-role', 'reviewer');
    await page.click('main form[action="/staff/accounts"] button[type=submit]');
    reviewerPassword = (await page.textContent('#one-time-password'))!;
    expect(reviewerPassword).toMatch(/^\S{20}$/);
    accessibility.push(...(await axeProblems(page)));
    await page.click('header button:has-text("Iziet")');
    await page.waitForURL(/\/staff\/signin\?out=1/);
  });

  test(`the reviewer signs in${backend === 'redis' ? ' on the other instance' : ''}, filters thumbs down of the last 7 days and searches without diacritics`, async () => {
    await visit(`${two.http.baseUrl}/staff/signin`);
    await firstSignIn(page, 'rita', reviewerPassword, 'Ritas jaunā parole 2026');
    if (backend === 'redis') {
      // The session lives in Redis: the first instance knows it too.
      await page.goto(`${one.http.baseUrl}/staff/conversations`);
      expect(await page.textContent('.who')).toMatch(/rita/);
      await page.goto(`${two.http.baseUrl}/staff/conversations`);
    }
    await page.fill('#f-from', rigaDay(-6));
    await page.fill('#f-to', rigaDay(0));
    await page.check('#f-thumbsDown');
    await page.click('form.filters button[type=submit]');
    await page.waitForURL(/thumbsDown=1/);
    const rows = page.locator('table.list tbody tr');
    expect(await rows.count()).toBe(1);
    await page.fill('#f-q', 'sodamibas izzina');
    await page.click('form.filters button[type=submit]');
    await page.waitForURL(/q=sodamibas/);
    expect(await rows.count()).toBe(1);
    expect(await rows.first().innerText()).toContain('Cik maksā sodāmības izziņa?');
    accessibility.push(...(await axeProblems(page)));
  });

  test('opens the conversation: intent, score, provenance and the masked personal code; marks it reviewed', async () => {
    await page.click('table.list tbody tr a');
    await page.waitForURL(/\/staff\/conversations\/staff-a-/);
    accessibility.push(...(await axeProblems(page)));
    expect(await page.locator('dd.intent').first().innerText()).toBe('fees');
    expect(await page.locator('dd.score').first().innerText()).toMatch(/^\d\.\d{3}$/);
    expect(await page.locator('dd.provenance').first().innerText()).toMatch(/fees.*fees\.payment_order.*KLIENTU APKALPOŠANAS VIETA/s);
    expect(await page.locator('mark.masked[data-mask="personalCode"]').first().innerText()).toBe('[personas kods, maskēts]');
    expect(await page.content()).not.toContain(PERSONAL_CODE);
    await page.check('#r-reviewed');
    await page.selectOption('#r-verdict', 'missing');
    await page.fill('#r-tags', 'cena');
    await page.click('form[action$="/review"] button[type=submit]');
    await page.waitForURL(/done=saved/);
    expect(await page.isChecked('#r-reviewed')).toBe(true);
    expect(await page.locator('[role=status]').first().innerText()).toBe('Saglabāts.');
  });

  test('exports the filtered list as CSV with a reason', async () => {
    await page.goBack();
    await page.goBack();
    await page.waitForURL(/q=sodamibas/);
    await page.fill('#x-reason', 'Mēneša kvalitātes pārskats');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('form[action="/staff/export"] button[type=submit]')]);
    const file = await download.path();
    const csv = readFileSync(file, 'utf8');
    expect(download.suggestedFilename()).toMatch(/^conversations-conversations-\d{4}-\d\d-\d\d\.csv$/);
    expect(csv).toContain(convA);
    expect(csv).not.toContain(PERSONAL_CODE);
    await page.click('header button:has-text("Iziet")');
    await page.waitForURL(/\/staff\/signin/);
  });

  test('the admin reads those actions in the audit log, and the dashboard draws its charts', async () => {
    await page.fill('#name', 'anna');
    await page.fill('#password', 'Anna garā jaunā parole 1');
    await page.click('button[type=submit]');
    await page.waitForURL(/\/staff\/conversations/);
    await visit(`${one.http.baseUrl}/staff/audit`);
    await page.fill('#a-actor', 'rita');
    await page.click('form.filters button[type=submit]');
    await page.waitForURL(/actor=rita/);
    accessibility.push(...(await axeProblems(page)));
    const actions = await page.locator('#audit tbody tr').evaluateAll((trs) => trs.map((tr) => (tr as unknown as { dataset: { action: string } }).dataset.action));
    expect(actions).toEqual(expect.arrayContaining(['signin', 'password_changed', 'view_conversation', 'review', 'export']));
    expect(await page.locator('#audit').innerText()).toMatch(/Mēneša kvalitātes pārskats/);
    await page.fill('#a-actor', '');
    await page.fill('#a-target', convA);
    await page.selectOption('#a-action', 'view_conversation');
    await page.click('form.filters button[type=submit]');
    await page.waitForURL(/target=/);
    // Every view is there (opening, and again after saving the review); all of them rita's.
    expect(new Set(await page.locator('#audit tbody tr td:nth-child(2)').allInnerTexts())).toEqual(new Set(['rita']));

    await visit(`${one.http.baseUrl}/staff/dashboard`);
    expect(await page.locator('svg.chart').count()).toBeGreaterThan(1);
    expect(Number(await page.textContent('#kpi-conversations'))).toBeGreaterThanOrEqual(2);
    await visit(`${one.http.baseUrl}/staff/retention`);
    await visit(`${one.http.baseUrl}/staff/accounts`);
    await visit(`${one.http.baseUrl}/staff/totp`);
    expect(await page.locator('#totp-key').innerText()).toMatch(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
    await visit(`${one.http.baseUrl}/staff/lang?to=en&back=/staff/conversations`);
    expect(await page.textContent('h1')).toBe('Conversations');
    await visit(`${one.http.baseUrl}/staff/dashboard`);
    await visit(`${one.http.baseUrl}/staff/conversations/${encodeURIComponent(convA)}`);
  });

  test('keyboard alone signs in and reaches the filters, with a visible focus outline on every stop', async () => {
    await page.goto(`${one.http.baseUrl}/staff/lang?to=lv&back=/staff/conversations`);
    await page.click('header button:has-text("Iziet")');
    await page.waitForURL(/\/staff\/signin/);
    const focused = async () => page.evaluate(() => {
      const el = (globalThis as unknown as { document: { activeElement: { id: string; tagName: string } | null } }).document.activeElement;
      const style = el ? (globalThis as unknown as { getComputedStyle(e: unknown): { outlineStyle: string; outlineWidth: string } }).getComputedStyle(el) : undefined;
      return { id: el?.id ?? '', tag: el?.tagName ?? '', outline: style ? `${style.outlineStyle} ${style.outlineWidth}` : '' };
    });
    const stops: Array<{ id: string; tag: string; outline: string }> = [];
    for (let i = 0; i < 10 && (stops.length === 0 || stops[stops.length - 1]!.id !== 'name'); i++) {
      await page.keyboard.press('Tab');
      stops.push(await focused());
    }
    expect(stops[stops.length - 1]!.id).toBe('name');
    for (const stop of stops) expect(stop.outline).not.toMatch(/^none|0px$/);
    await page.keyboard.type('anna');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Anna garā jaunā parole 1');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/staff\/conversations/);
    for (let i = 0; i < 20; i++) {
      await page.keyboard.press('Tab');
      if ((await focused()).id === 'f-from') break;
    }
    expect((await focused()).id).toBe('f-from');
  });

  test('axe-core finds no serious or critical problem on any page; no console errors (CSP included)', () => {
    expect(accessibility).toEqual([]);
    expect(consoleProblems).toEqual([]);
    expect(browser.blocked).toEqual([]);
  });
}

run('the staff console in Chromium', () => {
  jest.setTimeout(90_000);
  describe('on the disk default', () => scenario('disk'));
  describe('on Redis, two instances', () => scenario('redis'));
});
