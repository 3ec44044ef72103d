/**
 * Starts a private redis-server for a test file: a free port, a temp dir, no persistence
 * unless asked. If the binary is missing the Redis tests are skipped with a loud warning,
 * except under CI=true where that is an error (the suite must not pass silently).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from './freePort';

const BINARY = process.env.REDIS_SERVER_BIN ?? 'redis-server';

function binaryAvailable(): boolean {
  const probe = spawnSync(BINARY, ['--version'], { encoding: 'utf8' });
  return probe.status === 0;
}

let checked: boolean | undefined;

/** Whether Redis tests can run; throws under CI when they cannot. */
export function redisServerAvailable(): boolean {
  if (checked !== undefined) return checked;
  checked = binaryAvailable();
  if (!checked) {
    const msg = `redis-server binary not found ("${BINARY}"): install it (apt-get install -y redis-server)`;
    if (process.env.CI === 'true') throw new Error(`${msg}; Redis tests cannot be skipped under CI`);
    console.warn(`\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n!! SKIPPING REDIS TESTS: ${msg}\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n`);
  }
  return checked;
}

/** `describe`, or `describe.skip` when redis-server is missing (outside CI). */
export const describeWithRedis: jest.Describe = ((...args: Parameters<jest.Describe>) =>
  (redisServerAvailable() ? describe : describe.skip)(...args)) as jest.Describe;

export interface RedisServerOptions {
  /** Keep data across stop()/start() (append-only file, fsync always). */
  persist?: boolean;
}

export class RedisServer {
  readonly dir: string;
  private child?: ChildProcess;

  private constructor(
    readonly port: number,
    private readonly options: RedisServerOptions,
  ) {
    this.dir = mkdtempSync(path.join(os.tmpdir(), 'iemic-redis-'));
  }

  static async start(options: RedisServerOptions = {}): Promise<RedisServer> {
    const server = new RedisServer(await freePort(), options);
    await server.start();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** (Re)starts on the same port and dir; resolves when it answers PING. */
  async start(): Promise<void> {
    if (this.child) return;
    const persistence = this.options.persist
      ? ['--save', '', '--appendonly', 'yes', '--appendfsync', 'always']
      : ['--save', '', '--appendonly', 'no'];
    const child = spawn(
      BINARY,
      ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, ...persistence, '--loglevel', 'warning'],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    this.child = child;
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${stderr}`))),
    );
    exited.catch(() => undefined);
    const deadline = Date.now() + 5000;
    for (;;) {
      if (await Promise.race([ping(this.port), exited])) return;
      if (Date.now() > deadline) {
        await this.stop();
        throw new Error(`redis-server on port ${this.port} did not answer PING: ${stderr}`);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** SIGTERM (a clean shutdown) and wait for the exit; SIGKILL after 3 s. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  }

  /** Freeze / thaw the process (simulates a server that stops answering). */
  pause(): void {
    this.child?.kill('SIGSTOP');
  }

  resume(): void {
    this.child?.kill('SIGCONT');
  }

  async destroy(): Promise<void> {
    this.resume();
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}


function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    let data = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d) => {
      data += d.toString();
      if (data.includes('\r\n')) done(data.startsWith('+PONG'));
    });
  });
}
