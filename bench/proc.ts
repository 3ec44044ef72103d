/** Child processes of the bench: start on a free port, wait for health, read memory, always stop. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';

const children = new Set<ChildProcess>();

/** SIGKILL every child still running (synchronous: safe in 'exit' handlers). */
export function killAllNow(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null && child.pid) {
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  }
  children.clear();
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface Started {
  name: string;
  child: ChildProcess;
  pid: number;
  /** Milliseconds from spawn to the first successful readiness probe (for bots: 200 on /healthz). */
  readyMs: number;
  logFile: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  logFile: string;
  /** Polled every 10 ms until it resolves true. */
  ready: () => Promise<boolean>;
  readyTimeoutMs: number;
}

export class StartError extends Error {}

/** Spawns a process with stdout+stderr to a log file and waits until `ready` says so. */
export async function startProcess(o: StartOptions): Promise<Started> {
  const fd = openSync(o.logFile, 'w');
  const t0 = performance.now();
  const child = spawn(o.command, o.args, { cwd: o.cwd, env: o.env, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  children.add(child);
  let exited: string | undefined;
  child.once('exit', (code, signal) => {
    exited = `exited with ${signal ?? `code ${code}`}`;
    children.delete(child);
  });
  child.once('error', (err) => {
    exited = `could not start: ${err.message}`;
  });
  const stop = () => stopChild(child);
  const deadline = t0 + o.readyTimeoutMs;
  for (;;) {
    if (exited) throw new StartError(`${o.name} ${exited} before it was ready. Log tail:\n${tail(o.logFile)}`);
    if (await o.ready()) {
      const readyMs = performance.now() - t0;
      return { name: o.name, child, pid: child.pid as number, readyMs, logFile: o.logFile, stop };
    }
    if (performance.now() > deadline) {
      await stop();
      throw new StartError(`${o.name} not ready within ${o.readyTimeoutMs} ms. Log tail:\n${tail(o.logFile)}`);
    }
    await sleep(10);
  }
}

/** SIGTERM, then SIGKILL after 3 s; resolves when the process is gone. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    children.delete(child);
    return;
  }
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await gone;
  clearTimeout(timer);
  children.delete(child);
}

/** A readiness probe: true on the first 200 from GET http://127.0.0.1:<port><path>. */
export function httpReady(port: number, path = '/healthz'): () => Promise<boolean> {
  return async () => (await probe(port, path, 500)) === 200;
}

function probe(port: number, path: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve(0));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

export interface Memory {
  /** Resident set size now (kB). */
  rssKb: number;
  /** Peak resident set size (kB). */
  hwmKb: number;
}

/** VmRSS and VmHWM from /proc/<pid>/status. */
export function memoryOf(pid: number): Memory | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssKb: kb('VmRSS'), hwmKb: kb('VmHWM') };
  } catch {
    return undefined;
  }
}

export function tail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).map((l) => `    ${l.slice(0, 300)}`).join('\n');
  } catch {
    return '    (no log)';
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

let clockTicks: number | undefined;

/** Clock ticks per second of /proc's CPU counters. */
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    // getconf is POSIX; 100 is Linux's usual value
    const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
    clockTicks = Number(r.stdout?.trim()) || 100;
  }
  return clockTicks;
}

/** CPU time (user + system) a process has used so far, ms, from /proc/<pid>/stat. */
export function cpuMsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) / ticksPerSecond()) * 1000;
  } catch {
    return NaN;
  }
}

/** Machine-wide CPU time so far (all cores), ms: busy and total (busy + idle). */
export function machineCpuMs(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  const total = v.slice(0, 8).reduce((s, x) => s + (x || 0), 0);
  const k = 1000 / ticksPerSecond();
  return { busy: (total - idle) * k, total: total * k };
}

/**
 * Measures how much of the machine's CPU other processes (not the bench, not `pids`) used
 * between start() and stop(), in % of all cores. Kernel threads count as others (e.g. the
 * file system's journal after an fsync), so a bot that writes to disk raises it a little itself.
 */
export function othersCpu(pids: number[]): { stop(): number } {
  try {
    const m0 = machineCpuMs();
    const cpuOfPids = () => pids.reduce((sum, pid) => sum + cpuMsOf(pid), 0);
    const b0 = cpuOfPids();
    const s0 = process.cpuUsage();
    return {
      stop: () => {
        const m1 = machineCpuMs();
        const bot = cpuOfPids() - b0;
        const s = process.cpuUsage(s0);
        const self = (s.user + s.system) / 1000;
        const total = m1.total - m0.total;
        return total > 0 ? Math.max(0, Math.round(((m1.busy - m0.busy - bot - self) / total) * 100)) : NaN;
      },
    };
  } catch {
    return { stop: () => NaN };
  }
}

/** Waits (up to maxMs) until two 1-second samples in a row find the machine at most `percent` busy. Returns the time waited. */
export async function waitQuiet(percent: number, maxMs: number): Promise<number> {
  const t0 = performance.now();
  let quiet = 0;
  while (performance.now() - t0 < maxMs) {
    const busy = await machineBusyPercent(1000);
    quiet = busy <= percent ? quiet + 1 : 0;
    if (quiet >= 2) break;
  }
  return performance.now() - t0;
}

/**
 * Share (0..100) of the machine's CPU that was busy during a short idle sample. The bench and
 * its bots are idle then, so this is what other processes use: a noisy neighbour.
 */
export async function machineBusyPercent(ms = 1000): Promise<number> {
  try {
    const a = machineCpuMs();
    await sleep(ms);
    const b = machineCpuMs();
    return b.total > a.total ? Math.round(((b.busy - a.busy) / (b.total - a.total)) * 100) : NaN;
  } catch {
    return NaN;
  }
}
