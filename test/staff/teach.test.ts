import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestAdapter, type Activity } from 'botbuilder';
import { LiveRecognizer } from '../../nlu/liveRecognizer';
import { Recognizer } from '../../nlu/recognizer';
import { createCore } from '../../server/assistant';
import { createLogger } from '../../server/logger';
import { KNOWLEDGE_DIR, LOCALES_DIR, PROJECT_ROOT } from '../../server/paths';
import { AuditLog } from '../../staff/audit';
import { DiskStaffKv } from '../../staff/diskKv';
import { Reviews } from '../../staff/reviews';
import { Teach } from '../../staff/teach';
import { exportChanges } from '../../staff/teachChanges';
import { doubtfulMessages, groupId, groupKey, isoWeek } from '../../staff/teachQueue';
import { DiskRatingStore } from '../../storage/diskRatingStore';
import { DiskTranscriptStore, type TranscriptRecord } from '../../storage/transcriptStore';
import { replyText } from '../support/testBot';

const rec = (over: Partial<TranscriptRecord>): TranscriptRecord => ({
  conversationId: 'c1', timestamp: '2026-11-20T10:00:00.000Z', from: 'user', channelId: 'webchat', type: 'message', language: 'lv', ...over,
});

describe('grouping by the NLU\'s own normalisation', () => {
  test.each([
    ['Kur jūs atrodaties?', 'kur atrodaties jūs', 'lv'],
    ['Kur JŪS atrodaties', 'kur jus atrodaties!!', 'lv'],
    ['Where are you located?', 'where are you located', 'en'],
  ] as const)('"%s" and "%s" fall into one group', (a, b, lang) => {
    expect(groupKey(a, lang).key).toBe(groupKey(b, lang).key);
  });

  test('different content words, different groups; the same words in the other language, another group', () => {
    expect(groupKey('kur jūs atrodaties', 'lv').key).not.toBe(groupKey('kad jūs strādājat', 'lv').key);
    expect(groupKey('kur jūs atrodaties', 'lv').key).not.toBe(groupKey('kur jūs atrodaties', 'en').key);
  });

  test('masked personal data is not part of the key', () => {
    expect(groupKey('mans kods [PERSONAL_CODE], kur ir izziņa', 'lv').key).toBe(groupKey('mans kods, kur ir izziņa', 'lv').key);
    expect(groupKey('x', 'lv').key.startsWith('lv:')).toBe(true);
    expect(groupId('lv:a b')).toMatch(/^g[0-9a-f]{16}$/);
  });

  test('weeks are ISO weeks on the Riga calendar', () => {
    expect(isoWeek('2026-11-30T10:00:00Z')).toBe('2026-W49');
    expect(isoWeek('2026-11-29T22:30:00Z')).toBe('2026-W49'); // Monday 00:30 in Riga
    expect(isoWeek('2026-11-29T21:30:00Z')).toBe('2026-W48'); // Sunday 23:30 in Riga
    expect(isoWeek('2027-01-01T10:00:00Z')).toBe('2026-W53');
  });
});

describe('which messages are unanswered or doubtful', () => {
  const records: TranscriptRecord[] = [
    rec({ seq: 1, text: 'kas ir kvantu fizika', outcome: 'fallback', intent: 'out_of_scope', score: 0.9 }),
    rec({ seq: 2, from: 'bot', text: 'Nezinu.' }),
    rec({ seq: 3, text: 'izziņa', outcome: 'clarified', intent: 'criminal_record_request', score: 0.4 }),
    rec({ seq: 4, from: 'bot', text: 'Vai jūs domājāt…' }),
    rec({ seq: 5, text: 'kur jūs esat', outcome: 'answered', intent: 'address', score: 0.55 }),
    rec({ seq: 6, from: 'bot', text: 'Bruņinieku iela', activityId: 'b6' }),
    rec({ seq: 7, text: 'kad strādājat', outcome: 'answered', intent: 'reception_hours', score: 0.98 }),
    rec({ seq: 8, from: 'bot', text: 'P. 8:30', activityId: 'b8' }),
    rec({ seq: 9, text: '👎', outcome: 'rating' }),
  ];
  const down = { id: 'r1', conversationId: 'c1', kind: 'helpful' as const, value: 0, activityId: 'b8', language: 'lv' as const, channelId: 'webchat', timestamp: '2026-11-20T10:01:00Z' };

  test('fallback, clarification, a low score and a thumbs down each bring the question, not the rating', () => {
    const found = doubtfulMessages(records, [down]);
    expect(found.map((m) => [m.seq, m.reasons])).toEqual([[1, ['fallback']], [3, ['clarified']], [5, ['low_score']], [7, ['thumbs_down']]]);
  });

  test('a "missing answer" verdict brings every question of the conversation', () => {
    const found = doubtfulMessages(records, [], 'missing');
    expect(found.map((m) => m.seq)).toEqual([1, 3, 5, 7]);
    expect(found.find((m) => m.seq === 7)!.reasons).toEqual(['verdict']);
    expect(doubtfulMessages(records, [], 'right').map((m) => m.seq)).toEqual([1, 3, 5]);
  });
});

describe('teaching: queue, refusal, versioning, revert, export (real worker thread, real stores on disk)', () => {
  let dir: string;
  let teach: Teach;
  let kv: DiskStaffKv;
  let live: LiveRecognizer;
  let audit: AuditLog;
  let transcripts: DiskTranscriptStore;
  const now = new Date();
  const UNKNOWN = 'kur jūsu kantoris';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'teach-'));
    kv = new DiskStaffKv(dir);
    transcripts = new DiskTranscriptStore({ dataDir: dir, indexDelayMs: 10 });
    const ratings = new DiskRatingStore({ dataDir: dir });
    const reviews = new Reviews(kv);
    audit = new AuditLog(kv);
    live = new LiveRecognizer(Recognizer.fromLocales(LOCALES_DIR));
    const at = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * 60_000).toISOString();
    for (const [id, text, ago] of [['q1', 'Kur jūsu kantoris?', 30], ['q2', 'kur kantoris jūsu', 20], ['q3', 'kas ir kvantu fizika', 10]] as const) {
      await transcripts.append(rec({ conversationId: id, timestamp: at(ago), text, outcome: 'fallback', intent: 'out_of_scope', score: 0.9 }));
      await transcripts.append(rec({ conversationId: id, timestamp: at(ago - 1), from: 'bot', text: 'Diemžēl nezinu.' }));
    }
    await transcripts.flush();
    teach = new Teach({
      kv, stores: { transcripts, ratings }, reviews, audit, live, root: PROJECT_ROOT, localesDir: LOCALES_DIR, knowledgeDir: KNOWLEDGE_DIR,
      logger: { info: () => undefined, warn: () => undefined },
    });
  }, 60_000);

  afterAll(async () => {
    await teach?.close();
    await kv?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the queue groups the two phrasings together, counts them per week, and tabs follow the status', async () => {
    const from = new Date(now.getTime() - 86_400_000);
    const to = new Date(now.getTime() + 60_000);
    const groups = await teach.queue.groups(from, to);
    expect(groups.map((g) => [g.count, g.conversations.sort()])).toEqual([[2, ['q1', 'q2']], [1, ['q3']]]);
    const office = groups[0]!;
    expect(office.perWeek).toEqual([{ week: isoWeek(now.toISOString()), count: 2 }]);
    expect(office.reasons).toEqual({ fallback: 2 });
    await teach.queue.setStatus(groups[1]!.id, 'ignored', 'rita');
    const after = await teach.queue.groups(from, to);
    expect(after.map((g) => g.status)).toEqual(['new', 'ignored']);
    // the proposal: the model's own ranking (address first) and the facts that match
    const proposal = teach.propose(office.messages[0]!.text, 'lv');
    expect(proposal.intents).toHaveLength(3);
    expect(proposal.intents[0]!.intent).toBe('address');
    expect(proposal.facts.length).toBeGreaterThan(0);
  });

  test('a phrase that moves an evaluation line to the wrong intent is refused, with that line listed, and audited', async () => {
    // line 1 of the intent eval set, taught as another intent
    const lines = readFileSync(join(PROJECT_ROOT, 'test/nlu/eval.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { text: string; lang: 'lv' | 'en'; intent: string });
    const n = lines.findIndex((l) => l.lang === 'lv' && l.intent === 'address');
    const line = lines[n]!;
    expect(live.recognize(line.text, { current: 'lv' }).intent).toBe('address');
    const wrong = teach.teaching({ text: line.text, lang: 'lv', target: 'intent:contacts' });
    const result = await teach.apply(wrong, 'rita', '127.0.0.1');
    expect(result.applied).toBe(false);
    expect(result.preview.comparison.refused).toBe(true);
    expect(result.preview.comparison.broken).toContainEqual(expect.objectContaining({ eval: 'intent', set: 'test/nlu/eval.jsonl', id: String(n + 1), expected: 'address', after: 'contacts' }));
    expect(await teach.changes.all()).toEqual([]);
    const entries = await audit.query({ from: new Date(0), to: new Date(Date.now() + 60_000), action: 'teach_refused' });
    expect(entries).toHaveLength(1);
    expect(entries[0]!.detail).toContain(`test/nlu/eval.jsonl#${n + 1}`);
  }, 180_000);

  test('an applied phrase answers at once on this instance, is versioned, reverts in one step, and exports as training data', async () => {
    expect(live.recognize(UNKNOWN, { current: 'lv' }).intent).toBe('out_of_scope');
    const versionBefore = await teach.changes.version();
    const t = teach.teaching({ text: UNKNOWN, lang: 'lv', target: 'intent:address' });
    const preview = await teach.preview(t);
    expect(preview.comparison.refused).toBe(false);
    expect(preview.beforeCached).toBe(true);
    const result = await teach.apply(t, 'rita', '127.0.0.1', { group: groupId(groupKey(UNKNOWN, 'lv').key) });
    expect(result.applied).toBe(true);
    if (!result.applied) return;
    expect(result.change).toMatchObject({ appliedBy: 'rita', teaching: { kind: 'phrase', intent: 'address', lang: 'lv', text: UNKNOWN } });
    expect(result.change.after).toEqual([...result.change.before, UNKNOWN]);
    expect((await teach.changes.version())!.n).toBe((versionBefore?.n ?? 0) + 1);
    await teach.liveSync.sync();
    expect(live.recognize(UNKNOWN, { current: 'lv' }).intent).toBe('address');
    expect(live.version).toBe(result.change.id);
    // the group it came from is done
    const groups = await teach.queue.groups(new Date(now.getTime() - 86_400_000), new Date(now.getTime() + 60_000));
    expect(groups.find((g) => g.conversations.includes('q1'))!.status).toBe('done');

    // a restarted instance (a new process on the same store) trains for the stored changes
    const restarted = new LiveRecognizer(live.base);
    const again = new Teach({
      kv, stores: { transcripts, ratings: new DiskRatingStore({ dataDir: dir }) }, reviews: new Reviews(kv), audit, live: restarted, root: PROJECT_ROOT,
      localesDir: LOCALES_DIR, knowledgeDir: KNOWLEDGE_DIR, logger: { info: () => undefined, warn: () => undefined },
    });
    try {
      expect(restarted.recognize(UNKNOWN, { current: 'lv' }).intent).toBe('out_of_scope');
      await again.liveSync.sync();
      expect(restarted.recognize(UNKNOWN, { current: 'lv' }).intent).toBe('address');
    } finally {
      await again.close();
    }

    const exported = exportChanges(await teach.changes.all());
    expect(exported.training).toEqual({ lv: { address: [UNKNOWN] }, en: {} });
    expect(exported.factAnswers).toEqual({ lv: {}, en: {} });

    const reverted = await teach.revert(result.change.id, 'juris', '127.0.0.1');
    expect(reverted!.reverted!.by).toBe('juris');
    expect(await teach.revert(result.change.id, 'juris', '127.0.0.1')).toBeUndefined();
    await teach.liveSync.sync();
    expect(live.recognize(UNKNOWN, { current: 'lv' }).intent).toBe('out_of_scope');
    expect(live.current).toBe(live.base);
    expect(exportChanges(await teach.changes.all()).training).toEqual({ lv: {}, en: {} });
    const actions = (await audit.query({ from: new Date(0), to: new Date(Date.now() + 60_000) })).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['teach_applied', 'teach_reverted']));
  }, 180_000);

  test('a question attached to a fact is evaluated, stored and exported as the fact\'s answer', async () => {
    const t = teach.teaching({ text: 'kur jūs esat fiziski', lang: 'lv', target: `fact:${teach.propose('kur jūs atrodaties', 'lv').facts[0]!.id}` });
    expect(t.kind).toBe('fact');
    const result = await teach.apply(t, 'rita', '127.0.0.1');
    expect(result.preview.comparison.numbers.map((x) => x.set)).toEqual(['test/nlu/eval.jsonl', 'test/nlu/heldout.jsonl', 'test/answers/eval.jsonl', 'test/answers/heldout.jsonl']);
    if (result.applied) {
      expect(exportChanges(await teach.changes.all()).factAnswers.lv).toEqual({ [t.kind === 'fact' ? t.factId : '']: ['kur jūs esat fiziski'] });
    } else {
      expect(result.preview.comparison.broken.length).toBeGreaterThan(0);
    }
  }, 180_000);

  test('a question attached to a fact answers citizens on another instance sharing the store; its revert restores the old answer', async () => {
    // the other instance: its own bot and teaching poller on the same store (also what a restarted one does)
    const other = createCore({ logger: createLogger('silent'), recognizer: live.base, clock: () => new Date('2026-11-26T09:30:00Z') });
    const second = new Teach({
      kv, stores: { transcripts, ratings: new DiskRatingStore({ dataDir: dir }) }, reviews: new Reviews(kv), audit, live: other.live, knowledge: other.knowledge,
      root: PROJECT_ROOT, localesDir: LOCALES_DIR, knowledgeDir: KNOWLEDGE_DIR, logger: { info: () => undefined, warn: () => undefined },
    });
    let n = 0;
    const ask = async (text: string) => {
      const adapter = new TestAdapter(async (ctx) => other.bot.run(ctx), { channelId: 'webchat', locale: 'lv-LV', conversation: { id: `fact-${++n}` } } as Partial<Activity>);
      await adapter.receiveActivity({ type: 'message', text, locale: 'lv-LV' } as Partial<Activity>);
      return replyText(adapter.activeQueue.splice(0));
    };
    const QUESTION = 'vai var atsūtīt vēstuli';
    try {
      await second.liveSync.sync();
      const before = await ask(QUESTION);
      // today: the standard has no answer to it
      expect(before).toMatch(/nevaru atbildēt/);
      const result = await teach.apply(teach.teaching({ text: QUESTION, lang: 'lv', target: 'fact:cr.post' }), 'rita', '127.0.0.1');
      expect(result.applied).toBe(true);
      if (!result.applied) return;
      expect(await ask(QUESTION)).toBe(before); // until the other instance's poll
      await second.liveSync.sync();
      expect(await ask(QUESTION)).toMatch(/pieprasījumu var nosūtīt pa pastu uz adresi: Bruņinieku iela 72B/);
      expect(other.knowledge.fact('cr.post')!.answers.lv).toContain(QUESTION);

      await teach.revert(result.change.id, 'juris', '127.0.0.1');
      await second.liveSync.sync();
      expect(await ask(QUESTION)).toBe(before);
      expect(other.knowledge.fact('cr.post')!.answers.lv).not.toContain(QUESTION);
    } finally {
      await second.close();
    }
  }, 240_000);

  test('bad input is refused before any training', () => {
    expect(() => teach.teaching({ text: 'x', lang: 'lv', target: 'intent:address' })).toThrow('text');
    expect(() => teach.teaching({ text: 'kur jūs esat', lang: 'de', target: 'intent:address' })).toThrow('lang');
    expect(() => teach.teaching({ text: 'kur jūs esat', lang: 'lv', target: 'intent:nope' })).toThrow('target');
    expect(() => teach.teaching({ text: 'kur jūs esat', lang: 'lv', target: 'fact:nope' })).toThrow('target');
    // personal data typed into a phrase is masked before it is stored anywhere
    expect(teach.teaching({ text: 'mans kods 010101-12345 kur', lang: 'lv', target: 'intent:address' }).text).not.toContain('12345');
  });
});
