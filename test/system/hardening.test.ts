/**
 * The real process (`server/index.ts`) against the issue-12 reproductions that need one: an idle
 * SIGTERM logs "stopped" after the flush; slow clients are cut off; forged tokens against a
 * black-holed metadata host are refused without holding sockets or printing stack traces;
 * production without an app id does not start.
 */
import { mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import * as http from 'node:http';
import net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { BotProcess, message, sleep, waitUntil } from '../support/botProcess';

const logDir = mkdtempSync(path.join(os.tmpdir(), 'hardening-'));
let bot: BotProcess | undefined;

afterEach(async () => {
  if (bot?.running) bot.kill();
  bot = undefined;
});
afterAll(() => rmSync(logDir, { recursive: true, force: true }));

const sockets = (pid: number) => readdirSync(`/proc/${pid}/fd`).filter((fd) => {
  try {
    return readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:');
  } catch {
    return false;
  }
}).length;

test('SIGTERM when idle: flushes, logs "stopped", exits 0', async () => {
  bot = await BotProcess.start({ name: 'idle', logDir, env: { DATA_DIR: path.join(logDir, 'data-idle'), LOG_LEVEL: 'info' } });
  expect((await bot.say('idle-1', 'Labdien!')).status).toBe(200);
  await sleep(500);
  const { code } = await bot.stop('SIGTERM', 15_000);
  expect(code).toBe(0);
  const msgs = bot.logLines().map((l) => l.msg);
  expect(msgs).toContain('stopped');
  expect(readdirSync(path.join(logDir, 'data-idle'), { recursive: true }).length).toBeGreaterThan(0);
}, 60_000);

test('slow clients are cut off at the header and request timeouts; /healthz stays up', async () => {
  bot = await BotProcess.start({
    name: 'slow', logDir,
    env: { DATA_DIR: path.join(logDir, 'data-slow'), LOG_LEVEL: 'warn', HTTP_HEADERS_TIMEOUT_MS: '1000', HTTP_REQUEST_TIMEOUT_MS: '1500' },
  });
  const closed: boolean[] = [];
  const slow = Array.from({ length: 100 }, (_, i) => {
    const s = net.connect(bot!.port, '127.0.0.1');
    const index = closed.push(false) - 1;
    s.on('error', () => undefined);
    s.on('close', () => (closed[index] = true));
    // half the sockets trickle a header, half a body
    s.write(i % 2 ? 'POST /api/messages HTTP/1.1\r\nHost: x\r\n' : 'POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{');
    const drip = setInterval(() => s.write(i % 2 ? 'X-a: b\r\n' : ' '), 200);
    s.on('close', () => clearInterval(drip));
    return s;
  });
  expect((await bot.get('/healthz')).status).toBe(200);
  await waitUntil(() => closed.every(Boolean), 10_000, 'the server to close every slow connection');
  for (const s of slow) s.destroy();
  expect((await bot.get('/healthz')).status).toBe(200);
}, 60_000);

test('forged tokens, metadata host black-holed: 401 each, no socket held, nothing on stderr, no stack traces', async () => {
  const held = new Set<net.Socket>();
  const blackHole = net.createServer((s) => {
    held.add(s);
    s.resume();
    s.on('error', () => undefined);
    s.on('close', () => held.delete(s));
  });
  await new Promise<void>((r) => blackHole.listen(0, '127.0.0.1', () => r()));
  const hole = `http://127.0.0.1:${(blackHole.address() as net.AddressInfo).port}/.well-known/openidconfiguration`;
  try {
    bot = await BotProcess.start({
      name: 'auth', logDir,
      env: {
        DATA_DIR: path.join(logDir, 'data-auth'), LOG_LEVEL: 'info', MicrosoftAppId: 'app-id', MicrosoftAppPassword: 'secret',
        ToBotFromChannelOpenIdMetadataUrl: hole, OUTBOUND_TIMEOUT_MS: '2000',
      },
    });
    const before = sockets(bot.pid!);
    const forged = `Bearer ${Buffer.from('{"alg":"RS256","kid":"x"}').toString('base64url')}.${Buffer.from('{"iss":"https://api.botframework.com","aud":"app-id"}').toString('base64url')}.c2ln`;
    const N = 300;
    // each on its own connection, closed after the answer (so only what the server holds stays)
    const post = (i: number) => new Promise<number>((resolve, reject) => {
      const body = JSON.stringify(message(`forged-${i}`, 'Labdien'));
      const req = http.request({
        host: '127.0.0.1', port: bot!.port, path: '/api/messages', method: 'POST', agent: false, timeout: 5000,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: forged, connection: 'close' },
      }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('timeout', () => req.destroy(new Error('no answer within 5 s')));
      req.on('error', reject);
      req.end(body);
    });
    const statuses = await Promise.all(Array.from({ length: N }, (_, i) => post(i)));
    expect(statuses).toEqual(Array(N).fill(401));
    await sleep(300);
    const after = sockets(bot.pid!);
    console.log(`black-holed metadata: ${N} forged requests -> all 401; sockets in the process before ${before}, after ${after}; connections held at the black hole ${held.size}`);
    expect(held.size).toBe(0);
    expect(after).toBeLessThanOrEqual(before + 2);
    await bot.stop('SIGTERM', 15_000);
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(bot.stderrFile, 'utf8')).toBe('');
    expect(readFileSync(bot.stdoutFile, 'utf8')).not.toMatch(/\n\s+at /);
  } finally {
    for (const s of held) s.destroy();
    blackHole.close();
  }
}, 60_000);

test('NODE_ENV=production without an app id does not start, and says why', async () => {
  await expect(BotProcess.start({ name: 'prod', logDir, env: { DATA_DIR: path.join(logDir, 'data-prod'), NODE_ENV: 'production' }, startTimeoutMs: 20_000 }))
    .rejects.toThrow(/MicrosoftAppId: is required with NODE_ENV=production/);
});
