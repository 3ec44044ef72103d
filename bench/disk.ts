/**
 * Disk mode at scale: `npm run bench:disk` simulates N conversations (default 100,000; env
 * BENCH_DISK_CONVERSATIONS) as the assistant writes them: per conversation its conversation and
 * user state (botbuilder's JSON) and a user and a bot transcript record, 50 conversations at a
 * time, into a fresh temp folder. Prints files, bytes, the index log, RSS, the write rate, the
 * time of a restart (index load) and of an expiry scan, then deletes the folder.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskStorage } from '../storage/diskStorage';
import { DiskTranscriptStore } from '../storage/diskTranscriptStore';

const N = Number(process.env.BENCH_DISK_CONVERSATIONS ?? 100_000);
const PARALLEL = 50;
const dataDir = mkdtempSync(join(tmpdir(), 'bench-disk-'));
const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;

function walk(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      const sub = walk(p);
      files += sub.files;
      bytes += sub.bytes;
    } else {
      files++;
      bytes += statSync(p).size;
    }
  }
  return { files, bytes };
}

async function conversation(i: number, storage: DiskStorage, transcripts: DiskTranscriptStore): Promise<void> {
  const id = `bench-${i.toString(36)}-${'x'.repeat(20)}`;
  const now = new Date().toISOString();
  await storage.write({
    [`webchat/conversations/${id}`]: { conversation: { lang: 'lv', turns: 1, offered: [{ title: 'Darba laiks', value: 'reception_hours' }] }, DialogState: { dialogStack: [] }, eTag: '*' },
    [`webchat/users/dl_${i.toString(36)}`]: { prefs: { lang: 'lv' }, eTag: '*' },
  });
  await Promise.all([
    transcripts.append({ conversationId: id, from: 'user', channelId: 'webchat', type: 'message', timestamp: now, text: 'Kur jūs atrodaties?', language: 'lv', intent: 'address', score: 0.93 }),
    transcripts.append({ conversationId: id, from: 'bot', channelId: 'webchat', type: 'message', timestamp: now, text: 'Informācijas centrs atrodas Bruņinieku ielā 72B, Rīgā. Arhīva nodaļa: Čiekurkalna 1. līnijā 1, k-2.', language: 'lv' }),
  ]);
}

async function main(): Promise<void> {
  const storage = new DiskStorage({ dataDir });
  const transcripts = new DiskTranscriptStore({ dataDir });
  const started = Date.now();
  let next = 0;
  let peakRss = 0;
  const sample = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 250);
  await Promise.all(Array.from({ length: PARALLEL }, async () => {
    while (next < N) await conversation(next++, storage, transcripts);
  }));
  await Promise.all([storage.flush(), transcripts.flush()]);
  const seconds = (Date.now() - started) / 1000;
  clearInterval(sample);
  const rss = process.memoryUsage().rss;
  const all = walk(dataDir);
  const state = walk(join(dataDir, 'state'));
  const tx = walk(join(dataDir, 'transcripts'));
  const log = statSync(join(dataDir, 'transcripts', 'index.log')).size;
  const du = Number(execFileSync('du', ['-sk', dataDir], { encoding: 'utf8' }).split('\t')[0]) * 1024;

  const reloadStart = Date.now();
  const restarted = new DiskTranscriptStore({ dataDir });
  const listed = (await restarted.list({ limit: 1 })).length;
  const reloadMs = Date.now() - reloadStart;
  const expireStart = Date.now();
  const expired = await new DiskStorage({ dataDir }).expireIdle(30 * 24 * 3600 * 1000);
  const expireMs = Date.now() - expireStart;

  console.log(`disk bench: ${N.toLocaleString('en')} conversations (2 state writes + 2 transcript records each), ${PARALLEL} at a time, node ${process.version}`);
  console.log(`  time ${seconds.toFixed(1)} s: ${(N / seconds).toFixed(0)} conversations/s, ${((4 * N) / seconds).toFixed(0)} writes/s`);
  console.log(`  files ${all.files.toLocaleString('en')} (state ${state.files.toLocaleString('en')}, transcripts ${tx.files.toLocaleString('en')}), bytes ${mb(all.bytes)} (on disk, in blocks: ${mb(du)})`);
  console.log(`  transcript index log ${mb(log)} (appended, compacted when mostly stale)`);
  console.log(`  RSS after ${mb(rss)}, peak ${mb(Math.max(peakRss, rss))}`);
  console.log(`  restart: index loaded in ${reloadMs} ms (${listed} listed); expiry scan of all state files ${expireMs} ms (${expired} expired: all fresh)`);
  rmSync(dataDir, { recursive: true, force: true });
}

void main();
