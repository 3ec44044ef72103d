import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

/** A staff member's browser without the browser: a cookie jar, forms posted with the page's CSRF token. */
export class StaffClient {
  private readonly cookies = new Map<string, string>();
  /** The CSRF token of the last page that had a form. */
  csrf = '';

  /** `headers` go with every request (e.g. X-Forwarded-For, to come from another address). */
  constructor(readonly baseUrl: string, private readonly headers: Record<string, string> = {}) {}

  async get(urlPath: string, headers: Record<string, string> = {}): Promise<PageResult> {
    return this.request('GET', urlPath, undefined, headers);
  }

  /** Posts a form; `_csrf` is added from the last page unless given (null: left out). */
  async post(urlPath: string, form: Record<string, string | null>): Promise<PageResult> {
    const body = new URLSearchParams();
    const withToken: Record<string, string | null> = { _csrf: this.csrf, ...form };
    for (const [k, v] of Object.entries(withToken)) if (v !== null) body.set(k, v);
    return this.request('POST', urlPath, body.toString(), { 'content-type': 'application/x-www-form-urlencoded' });
  }

  /** Follows redirects (303 -> GET), like a browser. */
  private async request(method: string, urlPath: string, body: string | undefined, headers: Record<string, string>, hops = 0): Promise<PageResult> {
    const res = await fetch(`${this.baseUrl}${urlPath}`, {
      method, body, redirect: 'manual',
      headers: { ...this.headers, ...headers, cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i).trim();
      const value = pair!.slice(i + 1).trim();
      if (value === '' || attrs.some((a) => /max-age=0/i.test(a.trim()))) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await res.text();
    const token = /name="_csrf" value="([^"]*)"/.exec(text);
    if (token) this.csrf = token[1]!;
    if (res.status >= 300 && res.status < 400 && hops < 5) {
      const location = res.headers.get('location')!;
      return this.request('GET', location, undefined, {}, hops + 1).then((r) => ({ ...r, redirectedFrom: [urlPath, ...r.redirectedFrom] }));
    }
    return { status: res.status, text, url: urlPath, headers: res.headers, redirectedFrom: [] };
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  dropCookie(name: string): void {
    this.cookies.delete(name);
  }

  async signIn(name: string, password: string): Promise<PageResult> {
    await this.get('/staff/signin');
    return this.post('/staff/signin', { name, password });
  }
}

export interface PageResult {
  status: number;
  text: string;
  /** The final path after redirects. */
  url: string;
  headers: Headers;
  redirectedFrom: string[];
}

/** Visible text of an HTML page, roughly (tags dropped, entities of our escaping decoded). */
export function pageText(htmlText: string): string {
  return htmlText
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

const ROOT = path.resolve(__dirname, '../..');

/** Runs `npm run staff -- ...args` the way an operator does (ts-node, the given DATA_DIR / REDIS_URL). */
export function staffCli(args: string[], env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const clean: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['DATA_DIR', 'REDIS_URL', 'REDIS_KEY_PREFIX']) delete clean[k];
  const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'scripts/staff.ts', ...args], {
    cwd: ROOT, env: { ...clean, DOTENV_CONFIG_QUIET: 'true', ...env }, encoding: 'utf8', timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The one-time password the CLI printed on its own line. */
export function oneTimePassword(stdout: string): string {
  const m = /^one-time password: (\S+)$/m.exec(stdout);
  if (!m) throw new Error(`no one-time password in: ${stdout}`);
  return m[1]!;
}
