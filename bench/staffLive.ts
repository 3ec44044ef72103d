/**
 * `npm run bench:staff-live`: how long a change made in the staff console takes to reach the
 * citizens of every instance. Three real server processes (server/index.ts) share one private
 * redis-server; a reviewer signed in on A publishes and ends a notice closing tomorrow, and
 * edits and reverts a fact, STAFF_LIVE_ROUNDS times each (default 10). After each change, B and
 * C are asked over /api/messages (Bot Framework, expectReplies) every 20 ms until their answer
 * shows it. Last, C is restarted and its first answer must already carry the latest change.
 * Target: every change everywhere within 5 s. Results go to bench-results/staff-live-<timestamp>.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import { join, resolve } from 'node:path';
import { BotProcess, replyText, sleep } from '../test/support/botProcess';
import { oneTimePassword, StaffClient, staffCli } from '../test/support/staffClient';
import { redisAvailable, startRedis } from './redis';

const ROOT = resolve(__dirname, '..');
const ROUNDS = Number(process.env.STAFF_LIVE_ROUNDS ?? 10);
const TARGET_MS = 5000;
const FACT = 'rep.submit_anyone';
const QUESTION = 'iesniegt cita vietā';
const ORIGINAL = /jebkura persona/;

function rigaDay(offsetDays = 0): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Riga' }).format(new Date(Date.now() + offsetDays * 86_400_000));
}

let seq = 0;
async function answer(bot: BotProcess, text: string): Promise<string> {
  const r = await bot.say(`live-bench-${++seq}`, text);
  if (r.status !== 200) throw new Error(`${bot.name}: /api/messages answered ${r.status}`);
  return replyText(r.activities);
}

/** Milliseconds from `since` until the bot's answer to `text` matches (or fails after 15 s). */
async function until(bot: BotProcess, text: string, check: (answer: string) => boolean, since: number): Promise<number> {
  for (;;) {
    if (check(await answer(bot, text))) return Date.now() - since;
    if (Date.now() - since > 15_000) throw new Error(`${bot.name}: the change did not arrive within 15 s`);
    await sleep(20);
  }
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return { n: s.length, min: s[0], median: q(0.5), p95: q(0.95), max: s[s.length - 1] };
};

async function main(): Promise<void> {
  const redisOk = redisAvailable();
  if (!redisOk.ok) throw new Error(`redis-server is needed: ${redisOk.reason}`);
  const dir = mkdtempSync(join(os.tmpdir(), 'iemic-staff-live-'));
  const redis = await startRedis(join(dir, 'redis.log'));
  const bots: BotProcess[] = [];
  const start = (name: string) => BotProcess.start({ name, logDir: dir, env: { REDIS_URL: redis.url, DATA_DIR: join(dir, `data-${name}`), LOG_LEVEL: 'warn', MESSAGES_PER_MINUTE: '0' } });
  try {
    bots.push(...(await Promise.all(['A', 'B', 'C'].map(start))));
    const [a, b] = bots as [BotProcess, BotProcess, BotProcess];
    const cli = staffCli(['add', 'rita', '--role', 'reviewer'], { REDIS_URL: redis.url, DATA_DIR: join(dir, 'data-A') });
    if (cli.status !== 0) throw new Error(cli.stderr);
    const first = oneTimePassword(cli.stdout);
    const staff = new StaffClient(a.baseUrl);
    await staff.get('/staff/signin');
    await staff.post('/staff/signin', { name: 'rita', password: first });
    await staff.post('/staff/password', { current: first, new: 'Ritas jaunā parole 2026', repeat: 'Ritas jaunā parole 2026' });

    const others = () => bots.slice(1);
    const samples: Record<string, number[]> = { noticePublished: [], noticeEnded: [], factEdited: [], factReverted: [] };
    const measure = async (kind: string, text: string, check: (s: string) => boolean, applied: number) => {
      const times = await Promise.all(others().map((bot) => until(bot, text, check, applied)));
      samples[kind]!.push(...times);
    };
    for (let round = 1; round <= ROUNDS; round++) {
      const noticeLv = `Rīt Centrs ir slēgts (mērījums ${round}).`;
      const created = await staff.post('/staff/notices', {
        op: 'save', textLv: noticeLv, textEn: `Closed tomorrow (measurement ${round}).`, from: rigaDay(0), to: rigaDay(1),
        scope: 'hours', schedules: 'certificate_reception', change: 'closed', date: rigaDay(1), hours: '',
      });
      let applied = Date.now();
      if (!/done=created/.test(created.url)) throw new Error(`notice not created: ${created.status}`);
      await measure('noticePublished', 'vai rīt strādājat?', (s) => s.includes(noticeLv), applied);
      const id = /data-id="(n-\d{8}-[0-9a-f]{8})"/.exec(created.text)?.[1];
      if (!id) throw new Error('no notice id on the list page');
      await staff.get('/staff/notices');
      await staff.post(`/staff/notices/${id}/end`, {});
      applied = Date.now();
      await measure('noticeEnded', 'vai rīt strādājat?', (s) => !s.includes(noticeLv), applied);

      const newLv = `Pieprasījumu drīkst iesniegt arī cits cilvēks (mērījums ${round}).`;
      await staff.get(`/staff/facts/${FACT}`);
      const saved = await staff.post(`/staff/facts/${FACT}`, { op: 'save', textLv: newLv, textEn: `Someone else may submit it too (measurement ${round}).`, reason: 'mērījums' });
      applied = Date.now();
      if (!/done=applied/.test(saved.url)) throw new Error(`fact not applied: ${saved.status} ${saved.url}`);
      await measure('factEdited', QUESTION, (s) => s.includes(newLv), applied);
      await staff.post(`/staff/facts/${FACT}/revert`, {});
      applied = Date.now();
      await measure('factReverted', QUESTION, (s) => ORIGINAL.test(s), applied);
      process.stdout.write('.');
    }
    process.stdout.write('\n');

    // a change made while C is down is there when it starts again
    const c = bots[2]!;
    await c.stop();
    const lastLv = 'Pieprasījumu drīkst iesniegt arī cits cilvēks (pēc restarta).';
    await staff.get(`/staff/facts/${FACT}`);
    await staff.post(`/staff/facts/${FACT}`, { op: 'save', textLv: lastLv, textEn: 'Someone else may submit it too (after a restart).', reason: 'restarts' });
    const restarted = await start('C2');
    bots[2] = restarted;
    const afterRestart = (await answer(restarted, QUESTION)).includes(lastLv);

    const all = Object.values(samples).flat();
    const result = {
      measuredAt: new Date().toISOString(), machine: { cpus: os.cpus().length, node: process.version }, instances: 3, rounds: ROUNDS, pollMs: 1000,
      msFromApplyToOtherInstances: Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, stats(v)])),
      overall: stats(all), targetMs: TARGET_MS, withinTarget: all.every((x) => x <= TARGET_MS), firstAnswerAfterRestartHasChange: afterRestart,
    };
    const out = join(ROOT, 'bench-results');
    mkdirSync(out, { recursive: true });
    const file = join(out, `staff-live-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, `${JSON.stringify(result, null, 1)}\n`);
    console.log(JSON.stringify(result, null, 1));
    console.log(`written to ${file}`);
    if (!result.withinTarget || !afterRestart) process.exitCode = 1;
  } finally {
    for (const bot of bots) await bot.stop().catch(() => bot.kill());
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
