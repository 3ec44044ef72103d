/**
 * The chat page's speed as a citizen sees it, in Debian's Chromium against the real server process
 * (server/index.ts, embedded storage):
 * - first paint of the greeting: from navigation start to the first bot message in the page,
 *   with an empty cache and with the bundle cached;
 * - send to rendered: from the Enter key to the bot's answer in the page, over the WebSocket
 *   stream and with polling (?polling=1).
 * Usage: npm run bench:webchat [-- --rounds 5 --messages 30]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { BotProcess } from '../test/support/botProcess';
import { SELECTORS, launchChromium, waitForBotMessages } from '../test/browser/webchatPage';

declare const document: {
  querySelectorAll(s: string): { length: number };
  addEventListener(type: string, listener: (event: { key: string }) => void, capture: boolean): void;
};
declare const performance: { now(): number };
declare const window: Record<string, unknown>;
declare class MutationObserver {
  constructor(callback: () => void);
  observe(target: unknown, options: { childList: boolean; subtree: boolean }): void;
}

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const ROUNDS = arg('rounds', 5);
const MESSAGES = arg('messages', 30);
const QUESTIONS = ['kur jus atrodaties', 'kāds ir darba laiks', 'telefona numurs', 'e-pasta adrese', 'kas ir arhīvs'];

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};
const summary = (values: number[]) => `p50 ${percentile(values, 50).toFixed(0)} ms, p95 ${percentile(values, 95).toFixed(0)} ms (n=${values.length})`;

/** Milliseconds from navigation start to the first bot message in the page (an observer injected before the page loads). */
async function firstPaint(page: Page, url: string): Promise<number> {
  await page.addInitScript((bubble) => {
    new MutationObserver(() => {
      if (!window.greetingAt && document.querySelectorAll(bubble).length > 0) window.greetingAt = performance.now();
    }).observe(document, { childList: true, subtree: true });
  }, SELECTORS.botBubble);
  await page.goto(url);
  await waitForBotMessages(page, 20_000);
  return page.evaluate(() => window.greetingAt as number);
}

/** Installs a page-side clock: Enter in the message box starts it, the next bot message stops it. */
async function installTimer(page: Page): Promise<void> {
  await page.evaluate(([input, bubble]) => {
    const state = { start: 0, count: 0, times: [] as number[] };
    window.sendTimer = state;
    document.addEventListener('keydown', (event) => {
      if (event.key !== 'Enter') return;
      state.start = performance.now();
      state.count = document.querySelectorAll(bubble).length;
    }, true);
    new MutationObserver(() => {
      if (state.start && document.querySelectorAll(bubble).length > state.count) {
        state.times.push(performance.now() - state.start);
        state.start = 0;
      }
    }).observe(document, { childList: true, subtree: true });
    void input;
  }, [SELECTORS.input, SELECTORS.botBubble] as const);
}

async function sendToRendered(page: Page, url: string): Promise<number[]> {
  await page.goto(url);
  await waitForBotMessages(page, 20_000);
  await page.waitForSelector('#webchat[data-connected="true"]');
  await installTimer(page);
  for (let i = 0; i < MESSAGES; i++) {
    const before = await page.evaluate(() => (window.sendTimer as { times: number[] }).times.length);
    await page.locator(SELECTORS.input).fill(QUESTIONS[i % QUESTIONS.length]!);
    await page.locator(SELECTORS.input).press('Enter');
    await page.waitForFunction((n) => (window.sendTimer as { times: number[] }).times.length > n, before, { timeout: 15_000 });
    await page.waitForTimeout(150);
  }
  return page.evaluate(() => (window.sendTimer as { times: number[] }).times);
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'bench-webchat-'));
  const bot = await BotProcess.start({ name: 'webchat-bench', logDir: work, env: { DATA_DIR: join(work, 'data'), LOG_LEVEL: 'warn' } });
  try {
    await bot.get('/');
    await bot.get('/vendor/webchat.js', 30_000); // the compressed bundle is made once, at start
    const cold: number[] = [];
    const warm: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const browser = await launchChromium();
      cold.push(await firstPaint(browser.page, `${bot.baseUrl}/`));
      // A new page in the same profile: the bundle comes from the browser's cache.
      const again = await browser.context.newPage();
      warm.push(await firstPaint(again, `${bot.baseUrl}/`));
      await browser.close();
    }
    console.log(`first paint of the greeting, empty cache: ${summary(cold)}; all: ${cold.map((t) => t.toFixed(0)).join(', ')}`);
    console.log(`first paint of the greeting, bundle cached: ${summary(warm)}; all: ${warm.map((t) => t.toFixed(0)).join(', ')}`);

    for (const [name, query] of [['WebSocket', ''], ['polling', '?polling=1']] as const) {
      const browser = await launchChromium();
      const times = await sendToRendered(browser.page, `${bot.baseUrl}/${query}`);
      await browser.close();
      console.log(`send to rendered, ${name}: ${summary(times)}`);
    }
  } finally {
    await bot.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

main().then(() => process.exit(0), (err: unknown) => {
  console.error(err);
  process.exit(1);
});
