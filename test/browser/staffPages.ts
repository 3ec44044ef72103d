/**
 * What the staff console's browser tests share: axe-core over the page as it is, and the first
 * sign-in with a one-time password that the console makes its owner replace.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
declare const axe: { run(context: unknown, options: unknown): Promise<{ violations: Array<{ id: string; impact: string | null; nodes: unknown[] }>; passes: unknown[] }> };
declare const document: unknown;

/** axe-core's serious and critical violations on the page as it is now (one line each). */
export async function axeProblems(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  const result = await page.evaluate(() => axe.run(document, { resultTypes: ['violations'] }));
  if (result.passes.length === 0) throw new Error(`axe-core checked nothing on ${page.url()}`);
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${page.url()}: ${v.id} (${v.impact}, ${v.nodes.length})`);
}

/** On the sign-in page: signs in with a one-time password, replaces it, and ends on the conversations list. */
export async function firstSignIn(page: Page, name: string, oneTime: string, newPassword: string): Promise<void> {
  await page.fill('#name', name);
  await page.fill('#password', oneTime);
  await page.click('button[type=submit]');
  await page.waitForURL(/\/staff\/password$/);
  await page.fill('#current', oneTime);
  await page.fill('#new', newPassword);
  await page.fill('#repeat', newPassword);
  await page.click('main button[type=submit]');
  await page.waitForURL(/\/staff\/conversations/);
}
