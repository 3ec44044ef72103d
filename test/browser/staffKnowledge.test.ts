import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { createAssistant, type Assistant } from '../../server/assistant';
import { loadConfig } from '../../server/config';
import { createLogger } from '../../server/logger';
import { PROJECT_ROOT } from '../../server/paths';
import { createStaffKv } from '../../staff';
import { AuditLog } from '../../staff/audit';
import { createStores } from '../../storage';
import { HttpBot, texts } from '../support/httpBot';
import { redisServerAvailable, RedisServer } from '../support/redisServer';
import { oneTimePassword, staffCli } from '../support/staffClient';
import { axeProblems, firstSignIn } from './staffPages';
import { CHROMIUM_PATH, chromiumInstalled, launchChromium, type BrowserSession } from './webchatPage';

/**
 * Issue 15, notices and facts, in a real browser (Debian's Chromium via playwright-core) on two
 * instances sharing one real redis-server: a reviewer signed in on the first publishes a notice
 * closing tomorrow, and "vai rīt strādājat?" answers closed on both, asked over the Bot Framework
 * HTTP path; a fact edited in Latvian only does not change the Latvian answer; with English
 * filled in too it does, on the other instance. The time from "apply" to the other instance's
 * changed answer is measured and written to test-artifacts/staff-live.json (not asserted).
 */
const inCi = process.env.CI === 'true';
const run = chromiumInstalled() || inCi ? describe : describe.skip;
if (!chromiumInstalled() && !inCi) console.warn(`\n*** SKIPPING the staff knowledge browser test: no Chromium at ${CHROMIUM_PATH}. Under CI=true it fails instead. ***\n`);


const FACT = 'rep.submit_anyone';
const QUESTION = 'iesniegt cita vietā';
const NEW_LV = 'Pieprasījumu drīkst iesniegt arī cits cilvēks, pārbaudīts 2026. gada novembrī.';
const NEW_EN = 'Someone else may submit the request too, checked in November 2026.';
const NOTICE_LV = 'Rīt Centrs ir slēgts inventarizācijas dēļ.';
const NOTICE_EN = 'Tomorrow the Centre is closed for stocktaking.';

interface Instance {
  assistant: Assistant;
  http: HttpBot;
}

function rigaDay(offsetDays = 0): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Riga' }).format(new Date(Date.now() + offsetDays * 86_400_000));
}

let asked = 0;
async function ask(i: Instance, text: string): Promise<string> {
  return texts(await i.http.say(`live-${process.pid}-${++asked}`, text));
}

/** Asks until the answer matches; the milliseconds it took (undefined: not within `timeoutMs`). */
async function untilAnswer(i: Instance, text: string, expected: RegExp, timeoutMs = 10_000): Promise<number | undefined> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (expected.test(await ask(i, text))) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 25));
  }
  return undefined;
}

run('notices and facts from the staff console, live on two instances (Chromium, Redis)', () => {
  jest.setTimeout(90_000);
  const dataDirs: string[] = [];
  let redis: RedisServer;
  let one: Instance;
  let two: Instance;
  let browser: BrowserSession;
  let page: Page;
  const accessibility: string[] = [];
  const consoleProblems: string[] = [];
  const timings: Record<string, number | undefined> = {};

  const start = async (): Promise<Instance> => {
    const dataDir = mkdtempSync(join(tmpdir(), 'staff-knowledge-'));
    dataDirs.push(dataDir);
    const config = loadConfig({ DATA_DIR: dataDir, REDIS_URL: redis.url });
    const stores = await createStores({ dataDir, redisUrl: redis.url });
    const assistant = createAssistant(config, { logger: createLogger('silent'), stores });
    return { assistant, http: await HttpBot.start(assistant.app) };
  };

  const checkPage = async () => {
    accessibility.push(...(await axeProblems(page)));
  };

  beforeAll(async () => {
    if (!chromiumInstalled()) throw new Error(`Chromium is missing at ${CHROMIUM_PATH}: .ci/run installs it with apt-get`);
    if (!redisServerAvailable()) throw new Error('redis-server is missing');
    redis = await RedisServer.start();
    one = await start();
    two = await start();
    browser = await launchChromium();
    page = browser.page;
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleProblems.push(msg.text());
    });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    for (const i of [one, two]) {
      await i?.http.close();
      await i?.assistant.close();
    }
    await redis?.destroy();
    for (const d of dataDirs) rmSync(d, { recursive: true, force: true });
    if (Object.keys(timings).length) {
      const dir = join(PROJECT_ROOT, 'test-artifacts');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'staff-live.json'), `${JSON.stringify({ measuredAt: new Date().toISOString(), pollMs: 1000, msFromApplyToOtherInstance: timings }, null, 1)}\n`);
      console.log(`staff console changes live on the other instance after (ms): ${JSON.stringify(timings)}`);
    }
  });

  test('a reviewer signs in on the first instance', async () => {
    const cli = staffCli(['add', 'rita', '--role', 'reviewer'], { REDIS_URL: redis.url, DATA_DIR: dataDirs[0]! });
    expect(cli.status).toBe(0);
    const password = oneTimePassword(cli.stdout);
    await page.goto(`${one.http.baseUrl}/staff/signin`);
    await firstSignIn(page, 'rita', password, 'Ritas jaunā parole 2026');
  });

  test('a notice closing tomorrow, in both languages, previewed and published: "vai rīt strādājat?" is closed on both instances', async () => {
    const tomorrow = rigaDay(1);
    const before = await ask(two, 'vai rīt strādājat?');
    expect(before).not.toContain(NOTICE_LV);
    await page.click('nav a[href="/staff/notices"]');
    await page.waitForURL(/\/staff\/notices$/);
    await checkPage();
    await page.click('#new-notice');
    await page.waitForURL(/\/staff\/notices\/new$/);
    await page.fill('#n-textLv', NOTICE_LV);
    // English left out: refused, with the form kept
    await page.fill('#n-from', rigaDay(0));
    await page.fill('#n-to', tomorrow);
    await page.check('#nsch-certificate_reception');
    await page.check('#nc-closed');
    await page.fill('#n-date', tomorrow);
    await page.$eval('#n-textEn', (el) => (el as unknown as { removeAttribute(n: string): void }).removeAttribute('required'));
    const logged = consoleProblems.length;
    await page.click('#notice-preview');
    expect(await page.locator('#notice-errors').innerText()).toContain('Ierakstiet tekstu angliski.');
    // the refused form comes back with 400, which Chromium logs as a failed resource
    consoleProblems.splice(logged).forEach((p) => expect(p).toMatch(/status of 400/));
    expect(await page.inputValue('#n-textLv')).toBe(NOTICE_LV);
    await page.fill('#n-textEn', NOTICE_EN);
    await page.click('#notice-preview');
    await page.waitForSelector('#preview');
    await checkPage();
    mkdirSync(join(PROJECT_ROOT, 'test-artifacts'), { recursive: true });
    await page.screenshot({ path: join(PROJECT_ROOT, 'test-artifacts', 'staff-notice-preview.png'), fullPage: true });
    const dayLv = await page.locator('#preview .turn[data-lang="lv"][data-label="day"]').innerText();
    expect(dayLv).toMatch(/rīt ir slēgts, pieņemšanas nav/i);
    expect(await page.locator('#preview .turn[data-lang="lv"][data-label="welcome"]').innerText()).toContain(NOTICE_LV);
    expect(await page.locator('#preview .turn[data-lang="en"][data-label="hours"]').innerText()).toContain(NOTICE_EN);
    // the preview changed nothing yet
    expect(await ask(one, 'vai rīt strādājat?')).not.toContain(NOTICE_LV);

    await page.click('#notice-save');
    await page.waitForURL(/done=created/);
    timings.noticeOther = await untilAnswer(two, 'vai rīt strādājat?', /rīt ir slēgts/i);
    expect(timings.noticeOther).toBeDefined();
    for (const i of [one, two]) {
      const answer = await ask(i, 'vai rīt strādājat?');
      expect(answer).toMatch(/rīt ir slēgts, pieņemšanas nav/i);
      expect(answer).toContain(NOTICE_LV);
    }
    expect(await page.locator('#notices tbody tr').first().innerText()).toContain(NOTICE_LV);
    await checkPage();
  });

  test('a fact edited in Latvian only stays a draft; with English too the Latvian answer changes on the other instance', async () => {
    const original = await ask(two, QUESTION);
    expect(original).toContain('jebkura persona');
    await page.click('nav a[href="/staff/facts"]');
    await page.waitForURL(/\/staff\/facts$/);
    await checkPage();
    await page.click(`#facts a[href="/staff/facts/${FACT}"]`);
    await page.waitForURL(new RegExp(`/staff/facts/${FACT.replace('.', '\\.')}$`));
    await page.fill('#f-textlv', NEW_LV);
    await page.fill('#f-reason', 'Prakse mainījusies');
    await page.click('#fact-save');
    await page.waitForURL(/done=draft/);
    expect(await page.locator('#done').innerText()).toContain('melnraksts');
    expect(await page.locator('#fact-state').innerText()).toContain('ir melnraksts');
    await checkPage();
    // a draft changes no answer, on either instance, also after more than one poll
    await new Promise((r) => setTimeout(r, 2500));
    for (const i of [one, two]) expect(await ask(i, QUESTION)).not.toContain(NEW_LV);

    // the form keeps the draft; English filled in, previewed, saved
    expect(await page.inputValue('#f-textlv')).toBe(NEW_LV);
    expect(await page.inputValue('#f-reason')).toBe('Prakse mainījusies');
    await page.fill('#f-texten', NEW_EN);
    await page.click('#fact-preview');
    await page.waitForSelector('#preview');
    expect(await page.locator('#preview .turn[data-lang="lv"]').innerText()).toContain(NEW_LV);
    expect(await page.locator('#preview .turn[data-lang="en"]').innerText()).toContain(NEW_EN);
    await page.click('#fact-save');
    await page.waitForURL(/done=applied/);
    timings.factOther = await untilAnswer(two, QUESTION, new RegExp(NEW_LV.slice(0, 30)));
    expect(timings.factOther).toBeDefined();
    await page.screenshot({ path: join(PROJECT_ROOT, 'test-artifacts', 'staff-fact-edited.png'), fullPage: true });
    expect(await page.locator('#fact-words').innerText()).toContain(NEW_LV);
    expect(await page.locator('#fact-words').innerText()).toContain('jebkura persona');
    await checkPage();

    // one click back to the standard's words, on the other instance too
    await page.click('#fact-revert');
    await page.waitForURL(/done=reverted/);
    timings.factRevertOther = await untilAnswer(two, QUESTION, /jebkura persona/);
    expect(timings.factRevertOther).toBeDefined();
    expect((await page.locator('#versions tbody tr').allInnerTexts()).length).toBe(3);
    // the same pages in English
    await page.goto(`${one.http.baseUrl}/staff/lang?to=en&back=/staff/notices`);
    expect(await page.textContent('h1')).toBe('Notices');
    await checkPage();
    await page.goto(`${one.http.baseUrl}/staff/facts/${FACT}`);
    expect(await page.textContent('h1')).toBe(`Fact ${FACT}`);
    expect(await page.locator('#fact-words').innerText()).toContain('The standard\'s text');
    await checkPage();
    await page.goto(`${one.http.baseUrl}/staff/lang?to=lv&back=/staff/notices`);
  });

  test('every change is in the audit log, and the pages have no serious accessibility problem nor console errors', async () => {
    const kv = createStaffKv({ dataDir: dataDirs[0]!, redisUrl: redis.url, keyPrefix: loadConfig({ DATA_DIR: dataDirs[0]! }).REDIS_KEY_PREFIX });
    const log = new AuditLog(kv);
    const actions = (await log.query({ from: new Date(Date.now() - 3600_000), to: new Date(Date.now() + 60_000), actor: 'rita' })).map((e) => `${e.action} ${e.target ?? ''}`);
    await kv.close();
    expect(actions).toEqual(expect.arrayContaining([expect.stringMatching(/^notice_created n-/), `fact_draft ${FACT}`, `fact_edited ${FACT}`, `fact_reverted ${FACT}`]));
    expect(accessibility).toEqual([]);
    expect(consoleProblems).toEqual([]);
    expect(browser.blocked).toEqual([]);
  });
});
