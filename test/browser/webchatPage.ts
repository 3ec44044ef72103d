import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

// Functions passed to page.evaluate run in the page. The project compiles without the DOM lib, so
// the little of the DOM they use is declared here, for this module only.
interface PageElement {
  id: string;
  className: unknown;
  tagName: string;
  textContent: string | null;
  parentElement: PageElement | null;
  matches(selector: string): boolean;
  getAttribute(name: string): string | null;
  blur(): void;
}
declare const document: {
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
  activeElement: PageElement | null;
  documentElement: PageElement & { lang: string; scrollWidth: number };
  body: PageElement & { scrollWidth: number };
};
declare const window: { innerWidth: number };
declare function getComputedStyle(element: PageElement, pseudo?: string | null): {
  color: string; backgroundColor: string; outlineStyle: string; outlineWidth: string;
};

/** Debian's Chromium (apt-get install chromium); playwright's own browser downloads do not work here. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run',
];

/** Web Chat's DOM, as of botframework-webchat 4.18. */
export const SELECTORS = {
  input: '[data-id="webchat-sendbox-input"]',
  botBubble: '.webchat__bubble:not(.webchat__bubble--from-user) .webchat__bubble__content',
  userBubble: '.webchat__bubble--from-user .webchat__bubble__content',
  suggestedAction: '.webchat__suggested-action',
} as const;

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /** Requests the page tried to send anywhere but this machine (all blocked). */
  blocked: string[];
  close(): Promise<void>;
}

/** Chromium with a fresh profile; every request off localhost is blocked and recorded. */
export async function launchChromium(): Promise<BrowserSession> {
  const profile = mkdtempSync(join(tmpdir(), 'iemic-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 800 },
  });
  const blocked: string[] = [];
  // A test's own page.route may take a request first; then this one has nothing left to do.
  await context.route('**/*', async (route) => {
    const { hostname } = new URL(route.request().url());
    if (hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]') return route.continue().catch(() => undefined);
    blocked.push(route.request().url());
    return route.abort('blockedbyclient').catch(() => undefined);
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context, page, blocked,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export function chromiumInstalled(): boolean {
  return existsSync(CHROMIUM_PATH);
}

/** Texts of the bot's messages shown so far. */
export function botTexts(page: Page): Promise<string[]> {
  return page.locator(SELECTORS.botBubble).allInnerTexts();
}

/** Waits until a bot message after the first `after` ones matches; returns its text. */
export async function waitForBotReply(page: Page, after: number, expected: RegExp, timeoutMs = 10_000): Promise<string> {
  const handle = await page.waitForFunction(
    ([selector, skip, source, flags]) => {
      const texts = Array.from(document.querySelectorAll(selector)).slice(skip).map((e) => e.textContent ?? '');
      return texts.find((t) => new RegExp(source, flags).test(t)) ?? false;
    },
    [SELECTORS.botBubble, after, expected.source, expected.flags] as const,
    { timeout: timeoutMs },
  );
  return String(await handle.jsonValue());
}

/**
 * Types a message into Web Chat's send box, sends it with Enter, and waits for a bot reply matching
 * `expected`; for walking guided flows step by step.
 */
export async function sendAndWaitForReply(page: Page, text: string, expected: RegExp, timeoutMs = 10_000): Promise<string> {
  const before = await page.locator(SELECTORS.botBubble).count();
  const input = page.locator(SELECTORS.input);
  await input.fill(text);
  await input.press('Enter');
  return waitForBotReply(page, before, expected, timeoutMs);
}

/** Clicks the suggested action titled `title` and waits for a bot reply matching `expected`. */
export async function clickSuggestedAction(page: Page, title: string, expected: RegExp, timeoutMs = 10_000): Promise<string> {
  const before = await page.locator(SELECTORS.botBubble).count();
  await page.locator(SELECTORS.suggestedAction, { hasText: title }).last().click();
  return waitForBotReply(page, before, expected, timeoutMs);
}

export function pageLanguage(page: Page): Promise<string> {
  return page.evaluate(() => document.documentElement.lang);
}

export async function waitForPageLanguage(page: Page, lang: string): Promise<void> {
  await page.waitForFunction((want) => document.documentElement.lang === want, lang);
}

export async function waitForPlaceholder(page: Page, expected: RegExp): Promise<void> {
  await page.waitForFunction(
    ([selector, source]) => new RegExp(source).test(document.querySelector(selector)?.getAttribute('placeholder') ?? ''),
    [SELECTORS.input, expected.source] as const,
  );
}

export async function waitForBotMessages(page: Page, timeoutMs = 10_000): Promise<void> {
  await page.waitForFunction((selector) => document.querySelectorAll(selector).length > 0, SELECTORS.botBubble, { timeout: timeoutMs });
}

/** Whether the page scrolls sideways at the current viewport. */
export function horizontalOverflow(page: Page): Promise<{ doc: number; body: number; view: number; overflows: boolean }> {
  return page.evaluate(() => {
    const doc = document.documentElement.scrollWidth;
    const body = document.body.scrollWidth;
    const view = window.innerWidth;
    return { doc, body, view, overflows: doc > view || body > view };
  });
}

export async function blurAll(page: Page): Promise<void> {
  await page.evaluate(() => document.activeElement?.blur());
}

/** Presses Tab until `stop` is focused (or `max` times); returns what got focus, in order, with its outline. */
export async function tabThrough(page: Page, stop: string, max = 40): Promise<Array<{ name: string; outline: string }>> {
  const reached: Array<{ name: string; outline: string }> = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const focus = await page.evaluate((inputSelector) => {
      const el = document.activeElement;
      if (!el) return { name: 'none', outline: '' };
      const style = getComputedStyle(el);
      const name = el.matches(inputSelector) ? 'sendbox' : el.id || String(el.className).split(' ')[0] || el.tagName;
      return { name, outline: `${style.outlineStyle} ${style.outlineWidth}` };
    }, SELECTORS.input);
    reached.push(focus);
    if (focus.name === stop) break;
  }
  return reached;
}

/** WCAG contrast ratio of each element's text colour against the first opaque background behind it. */
export function contrastRatios(page: Page, targets: Array<[name: string, selector: string, pseudo: string]>): Promise<Record<string, number>> {
  return page.evaluate((list) => {
    const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
    const channel = (v: number) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    const luminance = ([r = 0, g = 0, b = 0]: number[]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    const background = (el: PageElement | null): number[] => {
      for (let e = el; e; e = e.parentElement) {
        const c = rgb(getComputedStyle(e).backgroundColor);
        if (c.length === 3 || (c.length === 4 && c[3] === 1)) return c.slice(0, 3);
      }
      return [255, 255, 255];
    };
    const out: Record<string, number> = {};
    for (const [name, selector, pseudo] of list) {
      const el = document.querySelector(selector);
      if (!el) {
        out[name] = -1;
        continue;
      }
      const [hi, lo] = [luminance(rgb(getComputedStyle(el, pseudo || null).color)), luminance(background(el))].sort((x, y) => y - x) as [number, number];
      out[name] = Math.round(((hi + 0.05) / (lo + 0.05)) * 100) / 100;
    }
    return out;
  }, targets);
}
