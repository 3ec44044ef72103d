/** A private redis-server for the Redis run (free port, no persistence) and a tiny RESP client to inspect it. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort, startProcess } from './proc';

export const REDIS_BIN = process.env.REDIS_SERVER_BIN ?? 'redis-server';

export function redisAvailable(): { ok: true; version: string } | { ok: false; reason: string } {
  const probe = spawnSync(REDIS_BIN, ['--version'], { encoding: 'utf8', timeout: 5000 });
  if (probe.status === 0) return { ok: true, version: probe.stdout.trim() };
  return { ok: false, reason: `${REDIS_BIN} is not installed (apt-get install -y redis-server)` };
}

export interface RedisHandle {
  url: string;
  port: number;
  pid: number;
  dir: string;
  stop(): Promise<void>;
}

export async function startRedis(logFile: string): Promise<RedisHandle> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'iemic-bench-redis-'));
  const started = await startProcess({
    command: REDIS_BIN,
    args: ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--loglevel', 'warning'],
    logFile,
    ready: async () => (await command(port, ['PING']).catch(() => '')) === 'PONG',
    readyTimeoutMs: 5000,
    name: 'redis-server',
  });
  return { url: `redis://127.0.0.1:${port}`, port, pid: started.pid, dir, stop: started.stop };
}

type Reply = string | number | null;

/** Sends one command, returns the first reply (simple string, integer or bulk string). */
export function command(port: number, args: string[], timeoutMs = 2000): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    let buf = Buffer.alloc(0);
    const done = (err: Error | null, value?: Reply) => {
      socket.destroy();
      if (err) reject(err);
      else resolve(value ?? null);
    };
    socket.setTimeout(timeoutMs, () => done(new Error('redis command timed out')));
    socket.on('error', (err) => done(err));
    socket.on('connect', () => {
      socket.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`);
    });
    socket.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      const eol = buf.indexOf('\r\n');
      if (eol < 0) return;
      const head = buf.subarray(0, eol).toString();
      const kind = head[0];
      const rest = head.slice(1);
      if (kind === '+') return done(null, rest);
      if (kind === '-') return done(new Error(rest));
      if (kind === ':') return done(null, Number(rest));
      if (kind === '$') {
        const len = Number(rest);
        if (len < 0) return done(null, null);
        if (buf.length < eol + 2 + len + 2) return; // wait for the rest
        return done(null, buf.subarray(eol + 2, eol + 2 + len).toString());
      }
      return done(new Error(`unexpected reply ${head.slice(0, 40)}`));
    });
  });
}

export interface RedisUsage {
  keys: number;
  /** Commands processed so far, excluding the bench's own probes (roughly). */
  commands: number;
  clients: number;
}

export async function usage(port: number): Promise<RedisUsage> {
  const keys = Number(await command(port, ['DBSIZE']));
  const stats = String(await command(port, ['INFO', 'stats']));
  const clients = String(await command(port, ['INFO', 'clients']));
  const field = (text: string, name: string) => Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(text)?.[1] ?? NaN);
  return { keys, commands: field(stats, 'total_commands_processed'), clients: field(clients, 'connected_clients') };
}
