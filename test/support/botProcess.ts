/**
 * Runs the real assistant (server/index.ts) as a child process, the way it runs in
 * production: its own config from the environment, its own port, stdout and stderr captured
 * to files (for the redaction scans), SIGTERM for a clean stop. Requests go over real HTTP
 * with a keep-alive agent and deliveryMode "expectReplies", so each response carries the
 * turn's replies.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { freePort } from './freePort';

const ROOT = path.resolve(__dirname, '../..');

/** The assistant's own settings: never inherited from the developer's shell. */
const CONFIG_VARS = [
  'PORT', 'MicrosoftAppId', 'MicrosoftAppPassword', 'MicrosoftAppType', 'MicrosoftAppTenantId', 'LOG_LEVEL',
  'DATA_DIR', 'REDIS_URL', 'REDIS_KEY_PREFIX', 'CONVERSATION_TTL_DAYS', 'TRANSCRIPT_RETENTION_DAYS', 'DIRECT_LINE_SECRET',
  'NODE_ENV', 'ALLOW_ANONYMOUS', 'ANONYMOUS_SERVICE_HOSTS', 'OUTBOUND_TIMEOUT_MS', 'MESSAGES_PER_MINUTE', 'STAFF_TOKEN', 'STAFF_API_ERASE', 'DIRECT_LINE_TOKEN_KEY', 'METRICS_TOKEN',
];

export interface BotProcessOptions {
  /** A label for the log files and error messages. */
  name: string;
  /** Where stdout/stderr go (`<name>.out.log`, `<name>.err.log`). */
  logDir: string;
  /** Settings for the assistant (DATA_DIR, REDIS_URL, LOG_LEVEL...). PORT is chosen here. */
  env: Record<string, string>;
  /** The port (e.g. a restarted process on its predecessor's); default a free one. */
  port?: number;
  /** How long to wait for /healthz. Default 30 s (two processes compiling on 2 cores). */
  startTimeoutMs?: number;
}

export interface PostResult {
  status: number;
  activities: ReplyActivity[];
  /** Time from sending to the complete response. */
  ms: number;
}

export interface ReplyActivity {
  type: string;
  text?: string;
  replyToId?: string;
  [k: string]: unknown;
}

export interface ExitResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** From the signal to the exit. */
  ms: number;
}

export interface SayOptions {
  userId?: string;
  locale?: string;
  activityId?: string;
  channelId?: string;
}

let activitySeq = 0;

export class BotProcess {
  readonly baseUrl: string;
  readonly stdoutFile: string;
  readonly stderrFile: string;
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(
    readonly name: string,
    readonly port: number,
    private readonly child: ChildProcess,
    files: { out: string; err: string },
  ) {
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.stdoutFile = files.out;
    this.stderrFile = files.err;
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  static async start(options: BotProcessOptions): Promise<BotProcess> {
    const port = options.port ?? (await freePort());
    const out = path.join(options.logDir, `${options.name}.out.log`);
    const err = path.join(options.logDir, `${options.name}.err.log`);
    const outFd = openSync(out, 'a');
    const errFd = openSync(err, 'a');
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const k of CONFIG_VARS) delete env[k];
    Object.assign(env, { DOTENV_CONFIG_QUIET: 'true', TS_NODE_TRANSPILE_ONLY: 'true' }, options.env, { PORT: String(port) });
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'server/index.ts'], {
      cwd: ROOT,
      env,
      stdio: ['ignore', outFd, errFd],
    });
    closeSync(outFd);
    closeSync(errFd);
    const bot = new BotProcess(options.name, port, child, { out, err });
    try {
      await bot.waitHealthy(options.startTimeoutMs ?? 30_000);
    } catch (e) {
      bot.kill();
      throw e;
    }
    return bot;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  private async waitHealthy(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let dead = false;
    void this.exited.then(() => (dead = true));
    for (;;) {
      if (dead) throw new Error(`${this.name} exited during start:\n${this.output().slice(-3000)}`);
      const ok = await this.get('/healthz', 1000).then((r) => r.status === 200, () => false);
      if (ok) return;
      if (Date.now() > deadline) throw new Error(`${this.name} did not answer /healthz within ${timeoutMs} ms:\n${this.output().slice(-3000)}`);
      await sleep(100);
    }
  }

  /** A GET with its own short-lived connection. */
  get(urlPath: string, timeoutMs = 5000): Promise<{ status: number; body: string; ms: number }> {
    return request({ port: this.port, method: 'GET', path: urlPath, agent: false, timeoutMs });
  }

  async post(activity: Record<string, unknown>, timeoutMs = 15_000): Promise<PostResult> {
    const r = await request({
      port: this.port, method: 'POST', path: '/api/messages', agent: this.agent, timeoutMs, body: JSON.stringify(activity),
    });
    const parsed = r.body ? (JSON.parse(r.body) as { activities?: ReplyActivity[] }) : {};
    return { status: r.status, activities: parsed.activities ?? [], ms: r.ms };
  }

  /** A user's message as a channel would send it, with the replies in the response. */
  say(conversationId: string, text: string, options: SayOptions = {}): Promise<PostResult> {
    return this.post(message(conversationId, text, options));
  }

  /** Everything the process wrote to stdout and stderr so far. */
  output(): string {
    return `${readFileSync(this.stdoutFile, 'utf8')}${readFileSync(this.stderrFile, 'utf8')}`;
  }

  /** The JSON log lines of stdout. */
  logLines(): Array<Record<string, unknown>> {
    return readFileSync(this.stdoutFile, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  }

  /** Sends `signal` and waits for the exit (SIGKILL after `timeoutMs`). */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 15_000): Promise<ExitResult> {
    const start = Date.now();
    if (!this.running) return { ...(await this.exited), ms: 0 };
    this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    const result = await this.exited;
    clearTimeout(timer);
    this.agent.destroy();
    return { ...result, ms: Date.now() - start };
  }

  /** For clean-up after a failed test. */
  kill(): void {
    this.agent.destroy();
    if (this.running) this.child.kill('SIGKILL');
  }

  /** The exit, whenever it comes. */
  waitExit(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    return this.exited;
  }
}

/** A message activity with a unique id, deliveryMode "expectReplies". */
export function message(conversationId: string, text: string, options: SayOptions = {}): Record<string, unknown> {
  activitySeq += 1;
  return {
    type: 'message',
    id: options.activityId ?? `act-${process.pid}-${activitySeq}`,
    text,
    from: { id: options.userId ?? `user-${conversationId}`, name: 'User' },
    recipient: { id: 'bot', name: 'Bot' },
    conversation: { id: conversationId },
    channelId: options.channelId ?? 'webchat',
    serviceUrl: 'http://127.0.0.1:1',
    locale: options.locale ?? 'lv-LV',
    deliveryMode: 'expectReplies',
    timestamp: new Date().toISOString(),
  };
}

export const replyText = (activities: ReplyActivity[]): string =>
  activities.filter((a) => a.type === 'message').map((a) => a.text ?? '').join('\n');

interface RequestOptions {
  port: number;
  method: string;
  path: string;
  agent: http.Agent | false;
  timeoutMs: number;
  body?: string;
}

function request(o: RequestOptions): Promise<{ status: number; body: string; ms: number }> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1', port: o.port, method: o.method, path: o.path, agent: o.agent,
        headers: o.body !== undefined ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(o.body) } : {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          // A response cut short by the server going away must not count as complete.
          if (!res.complete) reject(new Error(`${o.method} ${o.path}: response incomplete`));
          else resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: Date.now() - start });
        });
        res.on('error', reject);
      },
    );
    req.setTimeout(o.timeoutMs, () => req.destroy(new Error(`${o.method} ${o.path}: no response within ${o.timeoutMs} ms`)));
    req.on('error', reject);
    req.end(o.body);
  });
}


export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it returns true; returns the time it took; throws after `timeoutMs`. */
export async function waitUntil(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string, everyMs = 50): Promise<number> {
  const start = Date.now();
  for (;;) {
    if (await check()) return Date.now() - start;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}
