import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { createAssistant, type Assistant } from '../../server/assistant';
import { loadConfig } from '../../server/config';
import { createLogger } from '../../server/logger';
import { listen } from '../directline/directLineClient';
import {
  CHROMIUM_PATH, SELECTORS, blurAll, chromiumInstalled, launchChromium, sendAndWaitForReply, waitForBotMessages,
  waitForPageLanguage, type BrowserSession,
} from './webchatPage';

/**
 * The chat page on a phone and for everyone: the transcript's share of a phone's height, the
 * privacy notice in both languages, visible focus on every control, the skip link, labels that
 * read without an emoji font, links on their own lines, and axe-core (WCAG 2.1 A and AA) over the
 * page in each of its states.
 */
const inCi = process.env.CI === 'true';
const run = chromiumInstalled() || inCi ? describe : describe.skip;
if (!chromiumInstalled() && !inCi) console.warn(`\n*** SKIPPING the phone and accessibility tests: no Chromium at ${CHROMIUM_PATH}. ***\n`);

// Run in the page (the project compiles without the DOM lib).
interface El {
  getBoundingClientRect(): { top: number; bottom: number; height: number; left: number; right: number };
  matches(selector: string): boolean;
  closest(selector: string): El | null;
  querySelector(selector: string): El | null;
  parentElement: El | null;
  id: string;
  tagName: string;
  className: unknown;
  textContent: string | null;
  getAttribute(name: string): string | null;
}
declare const document: { querySelector(s: string): El | null; querySelectorAll(s: string): ArrayLike<El>; activeElement: El | null };
declare const window: { innerHeight: number; axe: { run(context: unknown, options: unknown): Promise<AxeResult> } };
declare function getComputedStyle(el: El): { outlineStyle: string; outlineWidth: string; outlineColor: string; backgroundColor: string };
interface AxeResult { violations: Array<{ id: string; help: string; nodes: Array<{ target: string[]; failureSummary?: string }> }> }

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const dataDir = mkdtempSync(join(tmpdir(), 'webchat-phone-'));
let assistant: Assistant;
let server: { baseUrl: string; close(): Promise<void> };
let browser: BrowserSession;
let page: Page;

/** The transcript's height as a share of the viewport's. */
function transcriptShare(p: Page): Promise<number> {
  return p.evaluate(() => {
    const transcript = document.querySelector('.webchat__basic-transcript');
    return transcript ? Math.round((transcript.getBoundingClientRect().height / window.innerHeight) * 1000) / 10 : 0;
  });
}

/** axe-core's WCAG 2.1 A/AA violations on the page as it is now (axe evaluated through DevTools: the page's CSP allows no injected script). */
async function axeViolations(p: Page): Promise<string[]> {
  await p.evaluate(AXE_SOURCE);
  const result = await p.evaluate(() => window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
  return result.violations.map((v) => `${v.id} (${v.help}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

run('the chat page on a phone, and for everyone', () => {
  jest.setTimeout(60_000);

  beforeAll(async () => {
    if (!chromiumInstalled()) throw new Error(`Chromium is missing at ${CHROMIUM_PATH}: .ci/run installs it with apt-get`);
    assistant = createAssistant(loadConfig({ DATA_DIR: dataDir }), { logger: createLogger('silent') });
    server = await listen(assistant.app, assistant.upgrade);
    browser = await launchChromium();
    page = browser.page;
    await page.setViewportSize({ width: 375, height: 667 });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await assistant?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('a page opened while the server could not give a token starts by itself once it can', async () => {
    await page.route('**/api/directline/token', (route) => route.abort('connectionrefused'));
    await page.goto(`${server.baseUrl}/`);
    await page.waitForSelector('#status[data-status="failed"]', { timeout: 10_000 });
    await page.unroute('**/api/directline/token');
    await waitForBotMessages(page, 20_000);
    expect(await page.locator('#status').isHidden()).toBe(true);
    // A new tab starts clean for the tests below.
    await page.evaluate(() => (globalThis as unknown as { sessionStorage: { clear(): void } }).sessionStorage.clear());
  });

  test('before the first message: a privacy notice (90 days, no personal codes) linked to the full one; axe finds nothing', async () => {
    await page.goto(`${server.baseUrl}/`);
    await waitForBotMessages(page, 15_000);
    const note = page.locator('#privacy-note');
    expect(await note.isVisible()).toBe(true);
    expect(await note.innerText()).toMatch(/90 dienas[\s\S]*nerakstiet personas kodu/);
    expect(await axeViolations(page)).toEqual([]);

    await page.click('#privacy-toggle');
    const full = page.locator('#privacy');
    expect(await full.isVisible()).toBe(true);
    const text = await full.innerText();
    expect(text).toMatch(/Ko glabājam/);
    expect(text).toMatch(/90 dienas/);
    expect(text).toMatch(/Kas lasa: tikai Iekšlietu ministrijas Informācijas centra darbinieki/);
    expect(text).toMatch(/kanceleja@ic\.iem\.gov\.lv[\s\S]*sarunas numuru:\s*[\w-]{20,}/);
    expect(text).toMatch(/nerakstiet personas kodu/);
    expect(await axeViolations(page)).toEqual([]);

    await page.click('#lang-en');
    await waitForPageLanguage(page, 'en');
    expect(await full.innerText()).toMatch(/What we keep[\s\S]*90 days[\s\S]*Who reads it[\s\S]*Erasure[\s\S]*do not type your personal code/);
    expect(await note.innerText()).toMatch(/90 days[\s\S]*do not type your personal code/);
    await page.keyboard.press('Escape');
    expect(await full.isHidden()).toBe(true);
    await page.click('#lang-lv');
    await waitForPageLanguage(page, 'lv');
  });

  test('at 375 x 667 and 375 x 740 the transcript gets at least 60% of the height; one row of suggested actions; LV/EN in reach', async () => {
    await sendAndWaitForReply(page, 'kur jus atrodaties', /Bruņinieku iela 72B/);
    // The notice has done its job once the user wrote.
    expect(await page.locator('#privacy-note').isHidden()).toBe(true);
    for (const viewport of [{ width: 375, height: 667 }, { width: 375, height: 740 }]) {
      await page.setViewportSize(viewport);
      await page.waitForTimeout(200);
      const share = await transcriptShare(page);
      console.log(`transcript share at ${viewport.width} x ${viewport.height}: ${share}%`);
      expect({ viewport, share, ok: share >= 60 }).toEqual({ viewport, share, ok: true });
      expect(await page.locator('#lang-en').isVisible()).toBe(true);
      expect(await page.locator('#lang-lv').isVisible()).toBe(true);
    }
    // 👍/👎 keep a word: without an emoji font they still read "Noderēja" / "Nenoderēja".
    const titles = await page.locator(SELECTORS.suggestedAction).allInnerTexts();
    expect(titles).toEqual(expect.arrayContaining([expect.stringMatching(/Noderēja$/), expect.stringMatching(/Nenoderēja$/)]));
    // Where the browser has no emoji font (as this machine's Chromium may not), the box is left out.
    if ((await page.getAttribute('html', 'data-emoji')) === 'none') expect(titles).toEqual(expect.arrayContaining(['Noderēja', 'Nenoderēja']));
    await page.setViewportSize({ width: 375, height: 667 });
    const tops = await page.locator(SELECTORS.suggestedAction).evaluateAll((els) => els.map((e) => Math.round((e as unknown as El).getBoundingClientRect().top)));
    expect(tops.length).toBeGreaterThan(1);
    expect(new Set(tops).size).toBe(1);
  });

  test('links in an answer stand on their own lines', async () => {
    await sendAndWaitForReply(page, 'kā pieprasīt izziņu par sodāmību', /sodāmīb/i);
    const lastBubble = page.locator(SELECTORS.botBubble).last();
    const linkTops = await lastBubble.locator('a').evaluateAll((els) => els.map((e) => Math.round((e as unknown as El).getBoundingClientRect().top)));
    expect(linkTops.length).toBeGreaterThan(1);
    expect(new Set(linkTops).size).toBe(linkTops.length);
  });

  test('the skip link lands in the message box', async () => {
    await page.reload();
    await page.waitForSelector('#webchat[data-connected="true"]', { timeout: 15_000 });
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.matches('.skip-link') ?? false)).toBe(true);
    await page.keyboard.press('Enter');
    expect(await page.evaluate((input) => document.activeElement?.matches(input) ?? false, SELECTORS.input)).toBe(true);
  });

  test('every control shows a focus outline of at least 2 px with 3:1 contrast, the message box and send included', async () => {
    await blurAll(page);
    const seen: Array<{ name: string; width: number; contrast: number }> = [];
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press('Tab');
      const focus = await page.evaluate((inputSelector) => {
        const active = document.activeElement;
        if (!active || active.tagName === 'BODY') return undefined;
        // The message box draws its ring on its frame (the input itself has none, by Web Chat's design).
        let ringed = active.matches(inputSelector) ? active.closest('.webchat__send-box-text-box') ?? active : active;
        let style = getComputedStyle(ringed);
        // Web Chat draws some focus rings as an element of their own (a bordered box over the control).
        const drawn = style.outlineStyle === 'none' ? active.parentElement?.querySelector('[class*="focus-indicator"]') ?? active.querySelector('[class*="focus-indicator"]') : null;
        let width = style.outlineStyle === 'none' ? 0 : parseFloat(style.outlineWidth);
        let ringColor = style.outlineColor;
        if (drawn) {
          const drawnStyle = getComputedStyle(drawn) as unknown as { borderTopWidth: string; borderTopColor: string; borderTopStyle: string };
          if (drawnStyle.borderTopStyle !== 'none') {
            width = parseFloat(drawnStyle.borderTopWidth);
            ringColor = drawnStyle.borderTopColor;
            ringed = drawn;
            style = getComputedStyle(ringed);
          }
        }
        const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
        const channel = (v: number) => ((v / 255) <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4);
        const lum = ([r = 0, g = 0, b = 0]: number[]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
        let background = [255, 255, 255];
        for (let e: El | null = ringed.parentElement; e; e = e.parentElement) {
          const c = rgb(getComputedStyle(e).backgroundColor);
          if (c.length === 3 || (c.length === 4 && c[3] === 1)) {
            background = c.slice(0, 3);
            break;
          }
        }
        const [hi, lo] = [lum(rgb(ringColor)), lum(background)].sort((x, y) => y - x) as [number, number];
        const label = active.id || active.getAttribute('aria-label') || active.getAttribute('title') || (active.textContent ?? '').trim().slice(0, 30);
        const name = active.matches(inputSelector) ? 'sendbox' : `${label} (${String(active.className).split(' ')[0]})`;
        return {
          name,
          width,
          contrast: Math.round(((hi + 0.05) / (lo + 0.05)) * 100) / 100,
        };
      }, SELECTORS.input);
      if (!focus) continue;
      if (seen.some((s) => s.name === focus.name) && seen.length > 5) break;
      seen.push(focus);
    }
    console.log(`focus outlines: ${seen.map((s) => `${s.name} ${s.width}px ${s.contrast}:1`).join('; ')}`);
    const names = seen.map((s) => s.name);
    for (const id of ['lang-lv', 'lang-en', 'sendbox', 'contacts-toggle', 'privacy-toggle']) expect(names.some((n) => n.startsWith(id))).toBe(true);
    expect(names.some((n) => /Nosūtīt|Send/i.test(n))).toBe(true);
    for (const s of seen) expect({ ...s, ok: s.width >= 2 && s.contrast >= 3 }).toEqual({ ...s, ok: true });
  });

  test('axe finds nothing with the contacts open, during an outage notice, and in English', async () => {
    await page.click('#contacts-toggle');
    expect(await axeViolations(page)).toEqual([]);
    await page.click('#contacts-toggle');
    await page.click('#lang-en');
    await waitForPageLanguage(page, 'en');
    await sendAndWaitForReply(page, 'opening hours', /Monday/);
    expect(await axeViolations(page)).toEqual([]);
    // The server unreachable as far as the page can tell: its health checks fail.
    await page.route('**/healthz', (route) => route.abort('connectionrefused'));
    await page.waitForSelector('#outage:not(:empty)', { timeout: 8000 });
    expect(await page.locator('#outage').innerText()).toMatch(/cannot be reached[\s\S]*\+371 67208218[\s\S]*kanceleja@ic\.iem\.gov\.lv/);
    expect(await axeViolations(page)).toEqual([]);
    await page.unroute('**/healthz');
    await page.waitForSelector('#outage:empty', { state: 'attached', timeout: 5000 });
  });
});
