import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { createAssistant, type Assistant } from '../../server/assistant';
import { loadConfig } from '../../server/config';
import { createLogger } from '../../server/logger';
import { PROJECT_ROOT } from '../../server/paths';
import { listen } from '../directline/directLineClient';
import {
  CHROMIUM_PATH, SELECTORS, blurAll, botTexts, chromiumInstalled, clickSuggestedAction, contrastRatios, horizontalOverflow,
  launchChromium, pageLanguage, sendAndWaitForReply, tabThrough, waitForBotMessages, waitForPageLanguage, waitForPlaceholder,
  type BrowserSession,
} from './webchatPage';

/**
 * The chat page in a real browser (Debian's Chromium via playwright-core), against the real
 * assistant and its local Direct Line: greeting, typed and clicked questions, the language switch,
 * narrow and zoomed layouts, keyboard, contrast, and no request leaving this machine.
 * The steps share one page and run in order.
 */
const SCREENSHOT = join(PROJECT_ROOT, 'test-artifacts', 'webchat-final.png');
const inCi = process.env.CI === 'true';
const run = chromiumInstalled() || inCi ? describe : describe.skip;
if (!chromiumInstalled() && !inCi) {
  console.warn(`\n*** SKIPPING the browser tests: no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium). Under CI=true they fail instead. ***\n`);
}

const dataDir = mkdtempSync(join(tmpdir(), 'webchat-test-'));
let assistant: Assistant;
let server: { baseUrl: string; close(): Promise<void> };
let browser: BrowserSession;
let page: Page;
const problems: string[] = [];

run('the chat page in Chromium', () => {
  jest.setTimeout(60_000);

  beforeAll(async () => {
    if (!chromiumInstalled()) throw new Error(`Chromium is missing at ${CHROMIUM_PATH}: .ci/run installs it with apt-get`);
    assistant = createAssistant(loadConfig({ DATA_DIR: dataDir }), { logger: createLogger('silent') });
    server = await listen(assistant.app, assistant.upgrade);
    browser = await launchChromium();
    page = browser.page;
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error' || /Content Security Policy/i.test(msg.text())) problems.push(`console: ${msg.text()}`);
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await assistant?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('connects and greets in Latvian', async () => {
    await page.goto(`${server.baseUrl}/`);
    await page.waitForSelector('#webchat[data-connected="true"]', { timeout: 15_000 });
    await waitForBotMessages(page);
    expect((await botTexts(page))[0]).toMatch(/Informācijas centra virtuālais asistents/);
    expect(await pageLanguage(page)).toBe('lv');
    expect(await page.title()).toMatch(/Iekšlietu ministrijas Informācijas centrs/);
    expect(await page.getAttribute('#lang-lv', 'aria-pressed')).toBe('true');
    expect(await page.getAttribute('#lang-en', 'aria-pressed')).toBe('false');
    expect(await page.getAttribute(SELECTORS.input, 'placeholder')).toMatch(/Ierakstiet/);
  });

  test('answers a question typed without diacritics', async () => {
    const reply = await sendAndWaitForReply(page, 'kur jus atrodaties', /Bruņinieku iela 72B/);
    expect(reply).toMatch(/Rīga/);
    // The user's own message is shown as sent, not failed (the endpoint echoed its clientActivityID).
    expect(await page.locator(SELECTORS.userBubble).last().innerText()).toBe('kur jus atrodaties');
    await page.waitForTimeout(300);
    expect(await page.locator('#webchat').innerText()).not.toMatch(/Neizdevās nosūtīt|Send failed/);
  });

  test('a click on a suggested action gets its answer', async () => {
    await clickSuggestedAction(page, 'Pieņemšanas laiks', /Pirmdiena/);
  });

  test('EN switches the page, Web Chat and the assistant to English', async () => {
    await page.click('#lang-en');
    await waitForPageLanguage(page, 'en');
    expect(await page.getAttribute('#lang-en', 'aria-pressed')).toBe('true');
    expect(await page.getAttribute('#lang-lv', 'aria-pressed')).toBe('false');
    expect(await page.title()).toMatch(/Information Centre of the Ministry of the Interior/);
    await waitForPlaceholder(page, /Type your message/);
    await sendAndWaitForReply(page, 'What are your opening hours?', /Monday/);
    // The conversation went on: the Latvian answers are still there.
    expect((await botTexts(page)).join('\n')).toMatch(/Bruņinieku iela 72B/);
  });

  test('walks the criminal record guide to its checklist card, by buttons and by typing', async () => {
    await sendAndWaitForReply(page, 'How do I get a criminal record certificate?', /five ways/);
    await clickSuggestedAction(page, 'Guide me step by step', /Who is the criminal record certificate for/);
    await clickSuggestedAction(page, 'For a child (under 18)', /How would you like to submit/);
    await sendAndWaitForReply(page, 'by post please', /Your checklist: criminal record certificate/);
    const card = page.locator('.ac-adaptiveCard').last();
    await expect(card.innerText()).resolves.toMatch(/payment order/);
    await expect(card.innerText()).resolves.toMatch(/parents or guardians/);
    await expect(card.innerText()).resolves.toMatch(/Send the request and the documents by post/);
  });

  test('fits 360 px and 200 % zoom without horizontal scrolling', async () => {
    // 200 % zoom of a 1280x720 window is a 640x360 CSS-pixel viewport.
    for (const viewport of [{ width: 640, height: 360 }, { width: 360, height: 740 }]) {
      await page.setViewportSize(viewport);
      await page.waitForTimeout(200);
      expect({ viewport, ...(await horizontalOverflow(page)) }).toMatchObject({ overflows: false });
      expect(await page.locator(SELECTORS.input).isVisible()).toBe(true);
      expect(await page.locator('#lang-lv').isVisible()).toBe(true);
    }
  });

  test('keyboard alone reaches the language switch and the send box, with a visible focus outline', async () => {
    await blurAll(page);
    const focused = await tabThrough(page, 'sendbox');
    const reached = focused.map((f) => f.name);
    const outlines = Object.fromEntries(focused.map((f) => [f.name, f.outline]));
    expect(reached).toEqual(expect.arrayContaining(['lang-lv', 'lang-en', 'sendbox']));
    expect(reached.indexOf('lang-lv')).toBeLessThan(reached.indexOf('sendbox'));
    for (const id of ['lang-lv', 'lang-en']) expect(outlines[id]).toMatch(/^solid [23]px$/);
    // Enter on a focused switch button works like a click.
    await page.focus('#lang-lv');
    await page.keyboard.press('Enter');
    await waitForPageLanguage(page, 'lv');
    expect(await page.getAttribute('#lang-lv', 'aria-pressed')).toBe('true');
  });

  test('has landmarks and labels for screen readers, and text contrast of at least 4.5:1', async () => {
    for (const landmark of ['body > header', 'body > main', 'body > footer']) expect(await page.locator(landmark).count()).toBe(1);
    expect(await page.getAttribute('#webchat', 'aria-label')).toBe('Saruna ar asistentu');
    expect(await page.getAttribute('.lang-switch', 'aria-label')).toBe('Valoda');
    for (const id of ['#lang-lv', '#lang-en']) expect(await page.getAttribute(id, 'aria-label')).toBeTruthy();
    expect(await page.getAttribute(SELECTORS.input, 'aria-label')).toBeTruthy();
    // The footer is folded: its contacts open from a button.
    await page.click('#contacts-toggle');
    expect(await page.getAttribute('#contacts-toggle', 'aria-expanded')).toBe('true');
    const footer = await page.locator('footer').innerText();
    expect(footer).toContain('+371 67208218');
    expect(footer).toContain('kanceleja@ic.iem.gov.lv');

    const ratios = await contrastRatios(page, [
      ['header name', '.centre', ''], ['header title', '.site-header h1', ''],
      ['switch pressed', '.lang-switch [aria-pressed="true"]', ''], ['switch not pressed', '.lang-switch [aria-pressed="false"]', ''],
      ['bot message', SELECTORS.botBubble, ''], ['user message', SELECTORS.userBubble, ''],
      ['suggested action', SELECTORS.suggestedAction, ''], ['timestamp', '.webchat__activity-status', ''],
      ['send box', SELECTORS.input, ''], ['placeholder', SELECTORS.input, '::placeholder'],
      ['footer text', '.site-footer #contacts span', ''], ['footer link', '.site-footer #contacts a', ''],
      ['footer button', '#contacts-toggle', ''],
    ]);
    await page.click('#contacts-toggle');
    for (const [name, value] of Object.entries(ratios)) expect({ name, value, ok: value >= 4.5 }).toEqual({ name, value, ok: true });
  });

  test('no request left this machine; no script or CSP errors', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    mkdirSync(join(PROJECT_ROOT, 'test-artifacts'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
    expect(browser.blocked).toEqual([]);
    expect(problems).toEqual([]);
  });
});
