import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestAdapter, type Activity } from 'botbuilder';
import { createCore, type Core } from '../../server/assistant';
import { createLogger } from '../../server/logger';
import { DiskStaffKv } from '../../staff/diskKv';
import type { StaffKv } from '../../staff/kv';
import { StaffKnowledge } from '../../staff/liveKnowledge';
import { noticeFromInput, type NoticeInput } from '../../staff/notices';
import { replyText, sharedRecognizer } from '../support/testBot';

/**
 * Staff notices and fact edits over the real bot (real NLU and dialogs): a closed day changes
 * "tomorrow / now / next" answers, a fact edit changes the answer only when both languages are
 * there, "outdated" sends the citizen to the Centre, revert restores, and a second instance on
 * the same store picks every change up, also after a restart.
 */
const NOW = '2026-11-26T09:30:00Z'; // Thursday 11:30 in Riga: open now; Friday 27th is a working day
const FACT = 'rep.submit_anyone';
const QUESTION = { lv: 'iesniegt cita vietā', en: 'submit for someone' };

let dir: string;
let kv: StaffKv;
const instances: StaffKnowledge[] = [];

function instance(): { core: Core; staff: StaffKnowledge; ask(text: string, lang?: 'lv' | 'en'): Promise<string> } {
  const core = createCore({ logger: createLogger('silent'), recognizer: sharedRecognizer(), clock: () => new Date(NOW) });
  const staff = new StaffKnowledge({ kv, live: core.knowledge, messages: core.messages, now: () => new Date(NOW) });
  instances.push(staff);
  let n = 0;
  return {
    core, staff,
    async ask(text, lang = 'lv') {
      const adapter = new TestAdapter(async (ctx) => core.bot.run(ctx), { channelId: 'webchat', locale: lang === 'lv' ? 'lv-LV' : 'en-US', conversation: { id: `c${++n}-${Math.random()}` } } as Partial<Activity>);
      await adapter.receiveActivity({ type: 'message', text, locale: lang === 'lv' ? 'lv-LV' : 'en-US' } as Partial<Activity>);
      return replyText(adapter.activeQueue.splice(0));
    },
  };
}

const closing = (date: string, schedules = ['certificate_reception']): NoticeInput => ({
  textLv: `${date} Centrs klientus nepieņem.`, textEn: `On ${date} the Centre does not receive clients.`,
  from: '2026-11-26', to: date, scope: ['hours', 'start'], schedules, change: 'closed', date, hours: '',
});

async function publish(staff: StaffKnowledge, input: NoticeInput): Promise<string> {
  const read = noticeFromInput(staff.notices.newId(), input, ['certificate_reception', 'centre_archive_reception', 'archive_department']);
  if (!('state' in read)) throw new Error(`refused: ${read.problems.join(',')}`);
  await staff.notices.create(read.state, 'rita');
  await staff.changed();
  return read.state.notice.id;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'live-knowledge-'));
  kv = new DiskStaffKv(dir);
});

afterEach(async () => {
  for (const s of instances.splice(0)) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('notices from the console', () => {
  test('a notice closing tomorrow makes "vai rīt strādājat?" closed, on this instance and, after its poll, on the other', async () => {
    const one = instance();
    const two = instance();
    await two.staff.start();
    expect(await one.ask('vai rīt strādājat?')).not.toMatch(/slēgts/);
    const id = await publish(one.staff, closing('2026-11-27'));
    const here = await one.ask('vai rīt strādājat?');
    expect(here).toMatch(/rīt ir slēgts, pieņemšanas nav/i);
    expect(here).toContain('2026-11-27 Centrs klientus nepieņem.');
    // the other instance answers from what it had until its next poll
    expect(await two.ask('vai rīt strādājat?')).not.toMatch(/slēgts/);
    await two.staff.poll();
    expect(await two.ask('vai rīt strādājat?')).toMatch(/rīt ir slēgts/i);
    expect(await two.ask('are you open tomorrow?', 'en')).toMatch(/tomorrow: closed, no reception/i);

    await one.staff.notices.end(id, 'rita');
    await one.staff.changed();
    await two.staff.poll();
    expect(await two.ask('vai rīt strādājat?')).not.toMatch(/slēgts/);
    await one.staff.notices.revert(id, 'rita');
    await one.staff.changed();
    await two.staff.poll();
    expect(await two.ask('vai rīt strādājat?')).toMatch(/rīt ir slēgts/i);
  });

  test('a day closed today changes "open now" and "next opening"; a notice may close several schedules', async () => {
    const one = instance();
    expect(await one.ask('vai tagad strādājat?')).toMatch(/atvērts|strādājam|līdz/i);
    await publish(one.staff, closing('2026-11-26', ['certificate_reception', 'archive_department']));
    const now = await one.ask('vai tagad strādājat?');
    expect(now).toMatch(/slēgts/i);
    // Thursday closed by the notice: the next reception is Friday 27 November, 9.00
    expect(now).toMatch(/Tuvākais pieņemšanas laiks: rīt no 9\.00/);
    expect(await one.ask('vai arhīva nodaļa šodien strādā?')).toMatch(/slēgts/i);
  });

  test('a notice about one place shows with the hours of that place only', async () => {
    const one = instance();
    await publish(one.staff, { ...closing('2026-11-30', ['archive_department']), textLv: 'Arhīva nodaļa pirmdien slēgta.', textEn: 'The Archive Department is closed on Monday.' });
    expect(await one.ask('arhīva darba laiks')).toContain('Arhīva nodaļa pirmdien slēgta.');
    expect(await one.ask('kāds ir jūsu darba laiks?')).not.toContain('Arhīva nodaļa pirmdien slēgta.');
  });

  test('changed hours on a day are the hours of that day', async () => {
    const one = instance();
    await publish(one.staff, { ...closing('2026-11-27'), change: 'hours', hours: '12:00-14:00' });
    expect(await one.ask('vai rīt strādājat?')).toMatch(/12\.00.{1,3}14\.00/);
  });

  test('the form refuses a notice without English, without dates, or with an override outside its days', () => {
    const ids = ['certificate_reception'];
    expect(noticeFromInput('n-1', { ...closing('2026-11-27'), textEn: ' ' }, ids)).toEqual({ problems: ['textEn'] });
    expect(noticeFromInput('n-1', { ...closing('2026-11-27'), from: '2026-11-28' }, ids)).toMatchObject({ problems: expect.arrayContaining(['dates']) });
    expect(noticeFromInput('n-1', { ...closing('2026-11-27'), date: '2026-12-24' }, ids)).toEqual({ problems: ['date'] });
    expect(noticeFromInput('n-1', { ...closing('2026-11-27'), schedules: [] }, ids)).toEqual({ problems: ['schedules'] });
    expect(noticeFromInput('n-1', { ...closing('2026-11-27'), change: 'hours', hours: '14:00-12:00' }, ids)).toEqual({ problems: ['hours'] });
  });
});

describe('facts edited in the console', () => {
  const NEW = { lv: 'Pieprasījumu var iesniegt arī cits cilvēks (pārbaudīts 2026. gadā).', en: 'Someone else may submit the request too (checked in 2026).' };

  test('a Latvian-only edit is a draft and changes nothing; with English too it is applied in both; revert restores', async () => {
    const one = instance();
    const two = instance();
    await two.staff.start();
    const fact = one.core.knowledge.base.fact(FACT)!;
    const original = await one.ask(QUESTION.lv);
    expect(original).toContain(fact.text.lv);

    const draft = await one.staff.facts.save(fact, { text: { lv: NEW.lv, en: '' } }, false, 'jauna prakse', 'rita');
    expect(draft).toMatchObject({ outcome: 'draft', missing: [{ field: 'text', lang: 'en' }] });
    await one.staff.changed();
    await two.staff.poll();
    expect(await two.ask(QUESTION.lv)).toContain(fact.text.lv);
    expect(await two.ask(QUESTION.lv)).not.toContain(NEW.lv);

    expect(await one.staff.facts.save(fact, { text: NEW }, false, 'jauna prakse', 'rita')).toMatchObject({ outcome: 'applied' });
    await one.staff.changed();
    await two.staff.poll();
    expect(await two.ask(QUESTION.lv)).toContain(NEW.lv);
    expect(await two.ask(QUESTION.en, 'en')).toContain(NEW.en);
    // the standard's own words are untouched underneath
    expect(two.core.knowledge.base.fact(FACT)!.text.lv).toBe(fact.text.lv);

    await one.staff.facts.revert(FACT, 'rita');
    await one.staff.changed();
    await two.staff.poll();
    expect(await two.ask(QUESTION.lv)).toContain(fact.text.lv);
    const record = await one.staff.facts.get(FACT);
    expect(record!.versions.map((v) => [v.action, v.by])).toEqual([['draft', 'rita'], ['edit', 'rita'], ['revert', 'rita']]);
    expect(record!.versions[1]!.before).toBeNull();
    expect(record!.versions[1]!.after).toMatchObject({ outdated: false, words: { text: NEW } });
  });

  test('an outdated fact tells the citizen, in their language, to check it with the Centre, with its phone and e-mail', async () => {
    const one = instance();
    const fact = one.core.knowledge.base.fact(FACT)!;
    await one.staff.facts.save(fact, {}, true, 'noteikumi mainās', 'rita');
    await one.staff.changed();
    const lv = await one.ask(QUESTION.lv);
    expect(lv).toMatch(/pārbaudiet to Centrā: tālrunis \+371 67208218, e-pasts \S+@\S+/);
    expect(lv).not.toContain(fact.text.lv);
    const en = await one.ask(QUESTION.en, 'en');
    expect(en).toMatch(/check it with the Centre: phone \+371 67208218/);
    expect(en).not.toContain(fact.text.en);
  });

  test('a save without a reason, or without a change, is refused', async () => {
    const one = instance();
    const fact = one.core.knowledge.base.fact(FACT)!;
    expect(await one.staff.facts.save(fact, { text: NEW }, false, ' ', 'rita')).toEqual({ outcome: 'refused', problem: 'reason' });
    expect(await one.staff.facts.save(fact, { text: { ...fact.text } }, false, 'nekas', 'rita')).toEqual({ outcome: 'refused', problem: 'nothing' });
    expect(await one.staff.facts.get(FACT)).toBeUndefined();
  });

  test('changes survive a restart: a new instance on the same store starts with them', async () => {
    const one = instance();
    const fact = one.core.knowledge.base.fact(FACT)!;
    await one.staff.facts.save(fact, { text: NEW }, false, 'jauna prakse', 'rita');
    await publish(one.staff, closing('2026-11-27'));
    await one.staff.close();
    const restarted = instance();
    expect(restarted.staff.loaded).toBe(false);
    await restarted.staff.start();
    expect(restarted.staff.loaded).toBe(true);
    expect(await restarted.ask(QUESTION.lv)).toContain(NEW.lv);
    expect(await restarted.ask('vai rīt strādājat?')).toMatch(/rīt ir slēgts/i);
  });

  test('the preview is the real answer with the change, and changes nothing', async () => {
    const one = instance();
    const fact = one.core.knowledge.base.fact(FACT)!;
    const preview = await one.staff.previewFact(fact, { outdated: false, words: { text: NEW, ...(fact.yes ? { yes: fact.yes } : {}) } });
    expect(preview.map((p) => p.lang)).toEqual(['lv', 'en']);
    expect(preview[0]!.answer.text).toContain(NEW.lv);
    expect(await one.ask(QUESTION.lv)).toContain(fact.text.lv);
    const read = noticeFromInput('n-20261126-00000000', closing('2026-11-27'), ['certificate_reception']);
    if (!('state' in read)) throw new Error('refused');
    const notice = await one.staff.previewNotice(read.state.notice);
    expect(notice.find((p) => p.lang === 'lv' && p.label === 'welcome')!.answer.text).toContain('2026-11-27 Centrs klientus nepieņem.');
    expect(notice.find((p) => p.lang === 'lv' && p.label === 'day')!.answer.text).toMatch(/slēgts/);
    expect(notice.find((p) => p.lang === 'en' && p.label === 'hours')!.answer.note).toContain('On 2026-11-27 the Centre does not receive clients.');
    expect(await one.ask('vai rīt strādājat?')).not.toMatch(/slēgts/);
  });
});

describe('questions taught to facts (set by teaching\'s poller, staff/teachLive.ts)', () => {
  const TAUGHT = 'vai var atsūtīt vēstuli';
  const BY_POST = /pieprasījumu var nosūtīt pa pastu/;

  test('a taught question is matched at once; staff edits and taught questions keep each other; the index is rebuilt only when the facts change', async () => {
    const one = instance();
    const builds = () => one.core.answers.matcherBuilds;
    const before = await one.ask(TAUGHT);
    expect(before).not.toMatch(BY_POST);
    await one.ask('kā iesniegt pieprasījumu pa pastu?');
    const first = builds();
    // nothing changed: turns reuse the index
    await one.ask('vai var atsūtīt vēstuli?');
    one.core.knowledge.setFactAnswers({});
    await one.ask(TAUGHT);
    expect(builds()).toBe(first);

    one.core.knowledge.setFactAnswers({ 'cr.post': { lv: [TAUGHT], en: [] } });
    expect(await one.ask(TAUGHT)).toMatch(BY_POST);
    expect(builds()).toBe(first + 1);
    one.core.knowledge.setFactAnswers({ 'cr.post': { lv: [TAUGHT], en: [] } });
    await one.ask(TAUGHT);
    expect(builds()).toBe(first + 1);

    // a notice from the console does not drop the taught question, and the taught question does not drop the notice
    await publish(one.staff, closing('2026-11-27'));
    expect(await one.ask(TAUGHT)).toMatch(BY_POST);
    expect(await one.ask('vai rīt strādājat?')).toMatch(/rīt ir slēgts/i);
    one.core.knowledge.setFactAnswers({});
    expect(await one.ask(TAUGHT)).toBe(before);
    expect(await one.ask('vai rīt strādājat?')).toMatch(/rīt ir slēgts/i);
  });
});
