/**
 * Redis goes away in the middle of a run and comes back (same port, append-only file): while
 * it is down the assistant apologises fast in the user's language and reports not-ready; when
 * it returns, turns work again and nothing stored before is lost.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BotProcess, replyText, sleep, waitUntil } from '../support/botProcess';
import { RedisServer, describeWithRedis } from '../support/redisServer';
import { closeRaw, cmd, connectRaw, type RawRedis } from '../support/redisScan';
import { stateKey, transcriptKey } from './systemUtil';

const RUN = `ro${Date.now().toString(36)}`;
const LV_APOLOGY = 'Atvainojiet, radās tehniska kļūme';
const EN_APOLOGY = 'Sorry, something went wrong';
/** How long Redis stays down. */
const OUTAGE_MS = 3000;

describeWithRedis('Redis stops mid-run and comes back', () => {
  let redis: RedisServer;
  let raw: RawRedis | undefined;
  let bot: BotProcess;
  let logDir: string;

  beforeAll(async () => {
    logDir = mkdtempSync(path.join(os.tmpdir(), 'iemic-outage-'));
    redis = await RedisServer.start({ persist: true });
    bot = await BotProcess.start({
      name: 'outage',
      logDir,
      env: { REDIS_URL: redis.url, DATA_DIR: path.join(logDir, 'data'), LOG_LEVEL: 'info' },
    });
  }, 60_000);

  afterAll(async () => {
    bot?.kill();
    await closeRaw(raw);
    await redis?.destroy();
    if (logDir) rmSync(logDir, { recursive: true, force: true });
  });

  const turnsOf = async (id: string): Promise<number | undefined> =>
    (JSON.parse(String(await cmd(raw!, 'GET', stateKey(id)))) as { conversation?: { turns?: number } }).conversation?.turns;
  const transcriptOf = async (id: string): Promise<string[]> => (await cmd<string[]>(raw!, 'LRANGE', transcriptKey(id), 0, -1)).map(String);

  test('down: a fast polite answer in the user language, /readyz 503, /healthz 200; back: ready again, nothing lost', async () => {
    const lv = `${RUN}-lv`;
    const en = `${RUN}-en`;
    const sayLv = (text: string) => bot.say(lv, text, { locale: 'lv-LV' });
    const sayEn = (text: string) => bot.say(en, text, { locale: 'en-US' });

    // Before: a Latvian and an English conversation with some history.
    for (const q of ['Kur jūs atrodaties?', 'Kāds ir jūsu darba laiks?', 'Kā ar jums sazināties?']) {
      expect((await sayLv(q)).status).toBe(200);
    }
    expect(replyText((await sayEn('English please')).activities)).toMatch(/English/);
    expect(replyText((await sayEn('What are your opening hours?')).activities)).not.toMatch(new RegExp(EN_APOLOGY));
    raw = await connectRaw(redis.url);
    expect(await turnsOf(lv)).toBe(3);
    expect(await turnsOf(en)).toBe(2);
    const lvBefore = await transcriptOf(lv);
    const enBefore = await transcriptOf(en);
    expect(lvBefore.length).toBeGreaterThanOrEqual(6);
    await closeRaw(raw);
    raw = undefined;

    // A background conversation keeps talking through the whole outage ("mid-run").
    const bg = `${RUN}-bg`;
    const background: Array<{ at: number; ms: number; status: number; apology: boolean; error?: string }> = [];
    let stopBackground = false;
    const backgroundDone = (async () => {
      for (let i = 1; !stopBackground; i++) {
        const at = Date.now();
        const r = await bot.say(bg, `Kāds ir jūsu darba laiks? (${i % 10})`, { locale: 'lv-LV' }).catch((e: Error) => e);
        if (r instanceof Error) background.push({ at, ms: Date.now() - at, status: 0, apology: false, error: r.message });
        else background.push({ at, ms: r.ms, status: r.status, apology: replyText(r.activities).includes(LV_APOLOGY) });
        await sleep(100);
      }
    })();
    await sleep(500);

    // Redis goes down.
    const stoppedAt = Date.now();
    await redis.stop();
    const notReadyAfter = await waitUntil(async () => (await bot.get('/readyz')).status === 503, 5000, '/readyz to answer 503');
    expect((await bot.get('/healthz')).status).toBe(200);

    const downLv = await sayLv('Kā saņemt izziņu par sodāmību?');
    expect(downLv.status).toBe(200);
    expect(replyText(downLv.activities)).toContain(LV_APOLOGY);
    expect(downLv.ms).toBeLessThan(2000);
    const downEn = await sayEn('How do I get a criminal record certificate?');
    expect(downEn.status).toBe(200);
    expect(replyText(downEn.activities)).toContain(EN_APOLOGY);
    expect(downEn.ms).toBeLessThan(2000);
    // A few more while down: every one answers, quickly.
    const more = await Promise.all([sayLv('Kur jūs atrodaties?'), sayEn('Where are you located?'), sayLv('Cik maksā izziņa?')]);
    for (const r of more) {
      expect(r.status).toBe(200);
      expect(r.ms).toBeLessThan(2000);
    }
    // It stays down for a while (the client's reconnect back-off grows meanwhile).
    const probes: number[] = [];
    while (Date.now() - stoppedAt < OUTAGE_MS) {
      const r = await (probes.length % 2 ? sayEn('What are your opening hours?') : sayLv('Kur jūs atrodaties?'));
      expect(r.status).toBe(200);
      expect(replyText(r.activities)).toContain(probes.length % 2 ? EN_APOLOGY : LV_APOLOGY);
      expect(r.ms).toBeLessThan(2000);
      probes.push(r.ms);
      expect((await bot.get('/readyz')).status).toBe(503);
      expect((await bot.get('/healthz')).status).toBe(200);
      await sleep(250);
    }
    const downFor = Date.now() - stoppedAt;

    // Redis returns on the same port with its append-only file.
    await redis.start();
    const restartedAt = Date.now();
    const readyAfter = await waitUntil(async () => (await bot.get('/readyz')).status === 200, 10_000, '/readyz to answer 200');
    expect(readyAfter).toBeLessThan(5000);

    const backLv = await sayLv('Kā saņemt izziņu par sodāmību?');
    expect(backLv.status).toBe(200);
    expect(replyText(backLv.activities)).not.toContain(LV_APOLOGY);
    const backEn = await sayEn('Where are you located?');
    expect(replyText(backEn.activities)).toContain("The Centre's address");

    await sleep(300);
    stopBackground = true;
    await backgroundDone;

    raw = await connectRaw(redis.url);
    // The failed turns changed nothing; the state from before is there and counts on.
    expect(await turnsOf(lv)).toBe(4);
    expect(await turnsOf(en)).toBe(3);
    const lvAfter = await transcriptOf(lv);
    const enAfter = await transcriptOf(en);
    expect(lvAfter.slice(0, lvBefore.length)).toEqual(lvBefore);
    expect(enAfter.slice(0, enBefore.length)).toEqual(enBefore);
    expect(lvAfter.length).toBeGreaterThan(lvBefore.length);
    expect(lvAfter.slice(lvBefore.length).map((l) => (JSON.parse(l) as { from: string }).from)[0]).toBe('user');

    // The background conversation: every turn answered (200), apologies only around the outage.
    expect(background.filter((b) => b.status !== 200)).toEqual([]);
    expect(background.filter((b) => b.apology && b.at + b.ms < stoppedAt)).toEqual([]);
    expect(background.filter((b) => b.apology && b.ms >= 2000)).toEqual([]);
    const lastBg = background[background.length - 1]!;
    expect(lastBg.apology).toBe(false);
    const bgApologies = background.filter((b) => b.apology).length;
    const bgAfter = background.filter((b) => b.at > restartedAt + readyAfter);

    const failLatencies = [downLv, downEn, ...more].map((r) => r.ms).concat(probes);
    console.log(
      [
        `redis outage: down ${downFor} ms; /readyz 503 ${notReadyAfter} ms after the stop; ` +
          `turns while down answered 200 with the apology in ${failLatencies.join(', ')} ms (max ${Math.max(...failLatencies)})`,
        `  redis back: /readyz 200 after ${readyAfter} ms; first turn after recovery ${backLv.ms} ms; ` +
          `state and ${lvBefore.length + enBefore.length} earlier transcript records intact`,
        `  background conversation: ${background.length} turns, ${bgApologies} apologised during the outage, ` +
          `max response ${Math.max(...background.map((b) => b.ms))} ms; after recovery max ${Math.max(0, ...bgAfter.map((b) => b.ms))} ms`,
      ].join('\n'),
    );
  }, 60_000);
});
