import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { BotProcess } from '../support/botProcess';
import { RedisServer, describeWithRedis } from '../support/redisServer';
import { roundRobin, type RoundRobin } from './roundRobin';
import {
  CHROMIUM_PATH, SELECTORS, botTexts, chromiumInstalled, clickSuggestedAction, launchChromium, sendAndWaitForReply,
  waitForBotMessages, waitForBotReply, type BrowserSession,
} from './webchatPage';

/**
 * The chat page in Chromium against the real server process: a restart mid-conversation (the
 * outage banner, the unsent message sent again, the same conversation going on), an erased
 * conversation replaced by a new one with one click, and two instances on one Redis behind a
 * balancer that alternates every request.
 */
const inCi = process.env.CI === 'true';
const run = chromiumInstalled() || inCi ? describe : describe.skip;
const runWithRedis = chromiumInstalled() || inCi ? describeWithRedis : describe.skip;
if (!chromiumInstalled() && !inCi) console.warn(`\n*** SKIPPING the browser resilience tests: no Chromium at ${CHROMIUM_PATH}. ***\n`);

// Run in the page (the project compiles without the DOM lib).
declare const document: { querySelector(selector: string): { textContent: string | null } | null };

const STAFF_TOKEN = 'staff-token-for-the-resilience-test';
const work = mkdtempSync(join(tmpdir(), 'webchat-resilience-'));
const processes: BotProcess[] = [];
let browser: BrowserSession | undefined;
const problems: string[] = [];

async function start(name: string, env: Record<string, string>, port?: number): Promise<BotProcess> {
  const bot = await BotProcess.start({ name, logDir: work, env: { LOG_LEVEL: 'warn', STAFF_TOKEN, STAFF_API_ERASE: 'true', ...env }, ...(port ? { port } : {}) });
  processes.push(bot);
  return bot;
}

function conversationNumber(page: Page): Promise<string> {
  return page.locator('#conversation-number').evaluate((el) => el.textContent ?? '');
}

async function openPage(url: string): Promise<Page> {
  if (!chromiumInstalled()) throw new Error(`Chromium is missing at ${CHROMIUM_PATH}: .ci/run installs it with apt-get`);
  browser = await launchChromium();
  browser.page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  await browser.page.goto(url);
  await waitForBotMessages(browser.page, 15_000);
  return browser.page;
}

afterEach(async () => {
  await browser?.close();
  browser = undefined;
  for (const bot of processes.splice(0)) await bot.stop();
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

run('the chat page across a restart of the server', () => {
  jest.setTimeout(120_000);
  afterEach(() => {
    for (const line of problems.splice(0)) console.log(line);
  });

  test('banner while down, gone when back; the unsent message goes again; same conversation, history kept, next question answered', async () => {
    const dataDir = join(work, 'restart-data');
    const first = await start('restart-1', { DATA_DIR: dataDir });
    const page = await openPage(`${first.baseUrl}/`);
    await sendAndWaitForReply(page, 'kur jus atrodaties', /Bruņinieku iela 72B/);
    const conversation = await conversationNumber(page);
    expect(conversation).toMatch(/^[\w-]{20,}$/);

    await first.stop();
    const stoppedAt = Date.now();
    await page.locator(SELECTORS.input).fill('kāds ir darba laiks');
    await page.locator(SELECTORS.input).press('Enter');
    const banner = page.locator('#outage[role="alert"]');
    await page.waitForSelector('#outage:not(:empty)', { timeout: 6500 });
    console.log(`outage banner shown ${Date.now() - stoppedAt} ms after the server stopped`);
    expect(await banner.innerText()).toMatch(/nav sasniedzams[\s\S]*\+371 67208218[\s\S]*kanceleja@ic\.iem\.gov\.lv/);
    expect(await banner.locator('a[href="tel:+37167208218"]').count()).toBe(1);

    await start('restart-2', { DATA_DIR: dataDir }, first.port);
    await page.waitForSelector('#outage:empty', { state: 'attached', timeout: 15_000 });
    // The message typed during the outage is sent again: with Web Chat's retry if it was sent and
    // failed (Web Chat says so 20 s after sending), or with Enter if Web Chat kept it in the message
    // box while the connection was down (it does not send while reconnecting its stream).
    const before = await page.locator(SELECTORS.botBubble).count();
    const retry = page.getByText(/Mēģināt vēlreiz/);
    const input = page.locator(SELECTORS.input);
    await page.waitForFunction((selector) => {
      const box = document.querySelector(selector) as unknown as { value?: string } | null;
      return box?.value === 'kāds ir darba laiks' || /Mēģināt vēlreiz/.test(document.querySelector('#webchat')?.textContent ?? '');
    }, SELECTORS.input, { timeout: 45_000 });
    if (await retry.count()) {
      console.log('the unsent message: sent again with Web Chat\'s retry');
      await retry.click();
    } else {
      console.log('the unsent message: still in the message box, sent with Enter');
      await input.press('Enter');
    }
    await waitForBotReply(page, before, /Pirmdiena/);

    expect(await conversationNumber(page)).toBe(conversation);
    expect((await botTexts(page)).join('\n')).toMatch(/Bruņinieku iela 72B/);
    await sendAndWaitForReply(page, 'kāds ir jūsu e-pasts?', /kanceleja@ic\.iem\.gov\.lv/);
    // One welcome: the conversation went on, it did not start again.
    expect((await botTexts(page)).filter((t) => /Labdien! Esmu/.test(t))).toHaveLength(1);
  });

  test('an erased conversation says so; one click starts a new one and what was shown stays', async () => {
    const bot = await start('erase', { DATA_DIR: join(work, 'erase-data') });
    const page = await openPage(`${bot.baseUrl}/`);
    await sendAndWaitForReply(page, 'kur jus atrodaties', /Bruņinieku iela 72B/);
    const conversation = await conversationNumber(page);
    const erased = await fetch(`${bot.baseUrl}/api/staff/conversations/${conversation}`, {
      method: 'DELETE', headers: { authorization: `Bearer ${STAFF_TOKEN}` },
    });
    expect(erased.status).toBe(204);
    await page.waitForSelector('#ended:not([hidden])', { timeout: 10_000 });
    expect(await page.locator('#ended').innerText()).toMatch(/saruna ir beigusies/);

    const before = await page.locator(SELECTORS.botBubble).count();
    await page.click('#start-new');
    await waitForBotReply(page, before, /Labdien! Esmu/);
    expect(await page.locator('#ended').isHidden()).toBe(true);
    expect(await conversationNumber(page)).not.toBe(conversation);
    expect((await botTexts(page)).join('\n')).toMatch(/Bruņinieku iela 72B/);
    await sendAndWaitForReply(page, 'kāds ir darba laiks', /Pirmdiena/);
  });

  test('a reload of the page goes on with the same conversation', async () => {
    const bot = await start('reload', { DATA_DIR: join(work, 'reload-data') });
    const page = await openPage(`${bot.baseUrl}/`);
    await sendAndWaitForReply(page, 'kur jus atrodaties', /Bruņinieku iela 72B/);
    const conversation = await conversationNumber(page);
    await page.reload();
    await waitForBotReply(page, 0, /Bruņinieku iela 72B/, 15_000);
    expect(await conversationNumber(page)).toBe(conversation);
    await sendAndWaitForReply(page, 'kāds ir darba laiks', /Pirmdiena/);
  });
});

runWithRedis('the chat page on two instances sharing one Redis', () => {
  jest.setTimeout(120_000);
  let redis: RedisServer | undefined;
  let balancer: RoundRobin | undefined;

  afterAll(async () => {
    await balancer?.close();
    await redis?.destroy();
  });

  test('with every request going to the other instance, a whole guide completes in the page', async () => {
    redis = await RedisServer.start();
    const env = { REDIS_URL: redis.url, DATA_DIR: join(work, 'scale-data') };
    const [a, b] = await Promise.all([start('scale-a', env), start('scale-b', env)]);
    balancer = await roundRobin([a.port, b.port]);
    const page = await openPage(`${balancer.baseUrl}/?lang=en`);
    // a stated need starts the guide: the five ways in one line, then its first question
    await sendAndWaitForReply(page, 'I need a criminal record certificate', /Who is the criminal record certificate for/);
    expect(await page.locator('#webchat').innerText()).toMatch(/five ways/);
    await clickSuggestedAction(page, 'For a child (under 18)', /How would you like to submit/);
    await sendAndWaitForReply(page, 'by post please', /Your checklist: criminal record certificate/);
    await expect(page.locator('.ac-adaptiveCard').last().innerText()).resolves.toMatch(/Send the request and the documents by post/);
    expect(await page.locator('#webchat').innerText()).not.toMatch(/Send failed/);
    expect(Math.min(...balancer.served)).toBeGreaterThanOrEqual(5);
    await balancer.close();
    balancer = undefined;
  });
});
