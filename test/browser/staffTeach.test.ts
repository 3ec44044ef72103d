import { appendFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { createAssistant, type Assistant } from '../../server/assistant';
import { loadConfig } from '../../server/config';
import { createLogger } from '../../server/logger';
import { createStores } from '../../storage';
import { HttpBot, texts } from '../support/httpBot';
import { redisServerAvailable, RedisServer } from '../support/redisServer';
import { oneTimePassword, staffCli } from '../support/staffClient';
import { axeProblems, firstSignIn } from './staffPages';
import { CHROMIUM_PATH, chromiumInstalled, launchChromium, type BrowserSession } from './webchatPage';

/**
 * Teaching from the queue, in a real browser, with two instances on one real redis-server:
 * a citizen asks in a phrasing the model does not know and gets the fallback; a reviewer finds
 * it in the queue, sees the proposal and the before/after numbers, applies it; the other
 * instance answers it (over /api/messages); the reviewer reverts it and the fallback returns.
 * The time from "apply" to the other instance's new answer is measured and written to
 * test-artifacts/teach-timings.log (not asserted).
 */
const inCi = process.env.CI === 'true';
const run = chromiumInstalled() || inCi ? describe : describe.skip;
if (!chromiumInstalled() && !inCi) console.warn(`\n*** SKIPPING the teaching browser test: no Chromium at ${CHROMIUM_PATH}. Under CI=true it fails instead. ***\n`);


/** Not in the training data: today it gets the fallback ("kur atrodas jūsu kantoris?" is understood). */
const PHRASING = 'Kur jūsu kantoris?';
const FALLBACK = /nevaru atbildēt/;
const ADDRESS = /Bruņinieku iela 72B/;
const WAIT_MS = 60_000;

interface Instance { assistant: Assistant; http: HttpBot }


function note(line: string): void {
  mkdirSync('test-artifacts', { recursive: true });
  appendFileSync(join('test-artifacts', 'teach-timings.log'), `${new Date().toISOString()} ${line}\n`);
}

run('teaching from the queue in Chromium, two instances on one Redis', () => {
  jest.setTimeout(120_000);
  const dataDirs: string[] = [];
  let redis: RedisServer;
  let one: Instance;
  let two: Instance;
  let browser: BrowserSession;
  let page: Page;
  let password = '';
  let asked = 0;
  const accessibility: string[] = [];
  const consoleProblems: string[] = [];

  const start = async (): Promise<Instance> => {
    const dataDir = mkdtempSync(join(tmpdir(), 'staff-teach-'));
    dataDirs.push(dataDir);
    const config = loadConfig({ DATA_DIR: dataDir, REDIS_URL: redis.url });
    const stores = await createStores({ dataDir, redisUrl: redis.url });
    const name = dataDirs.length === 1 ? 'one' : 'two';
    // the instances' own account of retraining goes beside the measurement
    const logger = createLogger('info', (line) => {
      if (/retrain|teaching/.test(line)) note(`instance ${name}: ${line}`);
    });
    // the worker thread ready before the first change, as in production (compiled, with Redis)
    const assistant = createAssistant(config, { logger, stores, teachWarmAfterMs: 1000 });
    return { assistant, http: await HttpBot.start(assistant.app) };
  };
  /** A citizen's question in a new conversation on that instance, over the Bot Framework HTTP path. */
  const ask = async (i: Instance) => texts(await i.http.say(`citizen-${process.pid}-${++asked}`, PHRASING));
  /** Asks every 250 ms until the reply matches; returns the time it took. */
  const until = async (i: Instance, expected: RegExp, since: number): Promise<number> => {
    let reply = '';
    while (Date.now() - since < WAIT_MS) {
      reply = await ask(i);
      if (expected.test(reply)) return Date.now() - since;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`no reply matching ${expected} after ${WAIT_MS} ms; last: ${reply.slice(0, 200)}`);
  };
  const visit = async (url: string) => {
    await page.goto(url);
    accessibility.push(...(await axeProblems(page)));
  };

  beforeAll(async () => {
    if (!chromiumInstalled()) throw new Error(`Chromium is missing at ${CHROMIUM_PATH}: .ci/run installs it with apt-get`);
    if (!redisServerAvailable()) throw new Error('redis-server is missing');
    redis = await RedisServer.start();
    one = await start();
    two = await start();
    const cli = staffCli(['add', 'rita', '--role', 'reviewer'], { REDIS_URL: redis.url, DATA_DIR: dataDirs[0]! });
    expect(cli.status).toBe(0);
    password = oneTimePassword(cli.stdout);
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
  });

  test('a citizen asks in a phrasing the model does not know and gets the fallback, on both instances', async () => {
    expect(await ask(one)).toMatch(FALLBACK);
    expect(await ask(two)).toMatch(FALLBACK);
    await one.assistant.stores.transcripts.flush();
    await two.assistant.stores.transcripts.flush();
  });

  test('the reviewer finds it in the queue, sees the proposal and the numbers before and after, and applies it; the other instance then answers it', async () => {
    await visit(`${one.http.baseUrl}/staff/signin`);
    await firstSignIn(page, 'rita', password, 'Ritas jaunā parole 2026');

    await page.click('nav.menu a[href="/staff/queue"]');
    await page.waitForURL(/\/staff\/queue$/);
    accessibility.push(...(await axeProblems(page)));
    expect(await page.textContent('h1')).toBe('Neatbildētie un šaubīgie jautājumi');
    const row = page.locator('#queue tbody tr', { hasText: PHRASING });
    expect(await row.count()).toBe(1);
    // both conversations, one from each instance, in one group
    expect(await row.locator('td').nth(1).innerText()).toBe('2');
    await row.locator('a').first().click();
    await page.waitForURL(/\/staff\/queue\/g[0-9a-f]{16}/);
    accessibility.push(...(await axeProblems(page)));
    // the proposal: the model's three likeliest intents, the likeliest first and chosen
    expect(await page.locator('#proposals input[value^="intent:"]').count()).toBe(3);
    expect(await page.locator('#proposals input[value="intent:address"]').isChecked()).toBe(true);
    expect(await page.locator('#proposals input[value^="fact:"]').count()).toBeGreaterThan(0);
    expect(await page.inputValue('#t-text')).toBe(PHRASING);

    await page.click('#preview');
    await page.waitForSelector('#numbers', { timeout: 90_000 });
    accessibility.push(...(await axeProblems(page)));
    const numbers = await page.locator('#numbers tbody tr').evaluateAll((trs) => trs.map((tr) => (tr as unknown as { innerText: string }).innerText));
    note(`preview numbers: ${numbers.join(' | ').replace(/\s+/g, ' ')}; ${await page.locator('#numbers ~ p.small').innerText()}`);
    expect(numbers).toHaveLength(4);
    for (const set of ['test/nlu/eval.jsonl', 'test/nlu/heldout.jsonl', 'test/answers/eval.jsonl', 'test/answers/heldout.jsonl']) {
      const cells = page.locator(`#numbers tr[data-set="${set}"]`);
      expect(Number(await cells.locator('td.after').innerText())).toBeGreaterThanOrEqual(Number(await cells.locator('td.before').innerText()));
    }
    expect(await page.locator('#refused').count()).toBe(0);

    const applied = Date.now();
    await page.click('#apply');
    await page.waitForURL(/\/staff\/changes\?done=applied/);
    accessibility.push(...(await axeProblems(page)));
    expect(await page.locator('#changes tbody tr').first().innerText()).toContain('address');
    const ms = await until(two, ADDRESS, applied);
    note(`apply -> the other instance answers: ${ms} ms (from the click on "Piemērot")`);
    // and the instance where it was applied (which reuses the model its preview trained)
    note(`apply -> this instance answers (asked after the other): ${await until(one, ADDRESS, applied)} ms`);
  });

  test('the reviewer reverts it in one click and the fallback returns on the other instance', async () => {
    const reverted = Date.now();
    await page.locator('#changes button.danger').first().click();
    await page.waitForURL(/\/staff\/changes\?done=reverted/);
    accessibility.push(...(await axeProblems(page)));
    const ms = await until(two, FALLBACK, reverted);
    note(`revert -> the other instance falls back again: ${ms} ms`);
    await until(one, FALLBACK, reverted);
    // the group left the "new" tab when it was taught
    await visit(`${two.http.baseUrl}/staff/queue?tab=done`);
    expect(await page.locator('#queue tbody tr', { hasText: PHRASING }).count()).toBe(1);
    await visit(`${two.http.baseUrl}/staff/lang?to=en&back=/staff/changes`);
    expect(await page.textContent('h1')).toBe('Training changes');
  });

  test('axe-core finds no serious or critical problem on these pages; no console errors (CSP included)', () => {
    expect(accessibility).toEqual([]);
    expect(consoleProblems).toEqual([]);
    expect(browser.blocked).toEqual([]);
  });
});
