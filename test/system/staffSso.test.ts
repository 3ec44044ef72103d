import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { chromiumInstalled, CHROMIUM_PATH, launchChromium, type BrowserSession } from '../browser/webchatPage';
import { BotProcess } from '../support/botProcess';
import { freePort } from '../support/freePort';

/**
 * Single sign-on of the staff console against a real OpenID provider (oidc-provider, its own
 * process) with the assistant as it runs in production (server/index.ts, its own process; the
 * certified client openid-client is ESM-only and loads there, not under jest), in Chromium.
 */
const inCi = process.env.CI === 'true';
const run = chromiumInstalled() || inCi ? describe : describe.skip;
const ROOT = resolve(__dirname, '../..');

run('staff console single sign-on (OpenID Connect)', () => {
  jest.setTimeout(60_000);
  const dir = mkdtempSync(join(tmpdir(), 'staff-sso-'));
  let bot: BotProcess;
  let provider: ChildProcess;
  let browser: BrowserSession;
  let page: Page;

  beforeAll(async () => {
    if (!chromiumInstalled()) throw new Error(`Chromium is missing at ${CHROMIUM_PATH}`);
    const providerPort = await freePort();
    bot = await BotProcess.start({
      name: 'sso', logDir: dir,
      env: {
        DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'warn',
        OIDC_ISSUER: `http://127.0.0.1:${providerPort}`, OIDC_CLIENT_ID: 'staff-console', OIDC_CLIENT_SECRET: 'staff-console-secret-0123456789',
        OIDC_SCOPES: 'openid profile email roles', OIDC_ROLE_MAP: 'IC.Admin=admin,IC.Reviewer=reviewer,IC.Viewer=viewer',
      },
    });
    provider = spawn(process.execPath, ['test/support/oidcProvider.mjs', String(providerPort), `${bot.baseUrl}/staff/oidc/callback`], {
      cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'],
    });
    await new Promise<void>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error('the OpenID provider did not start')), 15_000);
      provider.stdout!.on('data', (d: Buffer) => {
        if (d.toString().includes('listening')) {
          clearTimeout(timer);
          ok();
        }
      });
      provider.once('exit', (code) => fail(new Error(`the OpenID provider exited (${code})`)));
    });
    browser = await launchChromium();
    page = browser.page;
  });

  afterAll(async () => {
    await browser?.close();
    provider?.kill('SIGTERM');
    await bot?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function signInWithProvider(login: string): Promise<void> {
    // A new person at the provider too (its own session cookie would sign the last one in again).
    await browser.context.clearCookies();
    await page.goto(`${bot.baseUrl}/staff/signin`);
    await page.click('#sso');
    await page.waitForSelector('input[name="login"]');
    await page.fill('input[name="login"]', login);
    await page.fill('input[name="password"]', 'anything');
    await page.click('button[type="submit"]');
    await page.waitForURL((url) => url.href.startsWith(bot.baseUrl));
  }

  test('a reviewer signs in through the provider (code + PKCE) and gets the role its claim maps to', async () => {
    await signInWithProvider('rita');
    await page.waitForURL(/\/staff\/conversations$/);
    expect(await page.textContent('h1')).toBe('Sarunas');
    expect(await page.textContent('.who')).toBe('Pieslēdzies: rita@centrs.example (pārskatītājs)');
    await page.click('header button:has-text("Iziet")');
    await page.waitForURL(/\/staff\/signin/);
  });

  test('several role claims: the highest wins; the admin reads the SSO sign-ins in the audit log', async () => {
    await signInWithProvider('anna');
    await page.waitForURL(/\/staff\/conversations$/);
    expect(await page.textContent('.who')).toMatch(/anna@centrs\.example \(administrators\)/);
    await page.goto(`${bot.baseUrl}/staff/audit?action=signin`);
    const text = await page.locator('#audit').innerText();
    expect(text).toMatch(/rita@centrs\.example\s+pieslēdzās[\s\S]*sso, role reviewer/);
    await page.click('header button:has-text("Iziet")');
    await page.waitForURL(/\/staff\/signin/);
  });

  test('an organisation account without a mapped role is refused', async () => {
    await signInWithProvider('guest');
    expect(await page.textContent('#signin-error')).toMatch(/nav piešķirta konsoles loma/);
    const res = await page.goto(`${bot.baseUrl}/staff/conversations`);
    expect(res!.url()).toMatch(/\/staff\/signin/);
  });
});
