import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCalendar, loadNotices } from '../../knowledge/calendarRules';
import { KnowledgeError } from '../../knowledge/loader';
import { Notice } from '../../knowledge/noticesSchema';

const KNOWLEDGE_DIR = join(__dirname, '..', '..', 'knowledge');
const read = (name: string) => JSON.parse(readFileSync(join(KNOWLEDGE_DIR, name), 'utf8'));

const dirs: string[] = [];
/** A copy of hours.json, calendar.json and notices.json in a temporary directory, with `files` written over it. */
function knowledgeDir(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'calendar-'));
  dirs.push(dir);
  for (const name of ['hours.json', 'calendar.json', 'notices.json']) cpSync(join(KNOWLEDGE_DIR, name), join(dir, name));
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return dir;
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** The example notice of knowledge/README.md. */
function readmeExample(): unknown {
  const readme = readFileSync(join(KNOWLEDGE_DIR, 'README.md'), 'utf8');
  const block = /## notices\.json[\s\S]*?```json\n([\s\S]*?)```/.exec(readme);
  expect(block).not.toBeNull();
  return JSON.parse(block![1]!);
}

const notice = (over: Record<string, unknown> = {}) => ({
  id: 'closed-friday',
  from: '2026-05-08',
  to: '2026-05-15',
  text: { lv: 'Slēgts', en: 'Closed' },
  scope: ['hours'],
  ...over,
});

describe('loading the shipped files', () => {
  test('calendar.json and notices.json load; notices ship empty', () => {
    expect(() => loadCalendar(KNOWLEDGE_DIR)).not.toThrow();
    expect(loadNotices(KNOWLEDGE_DIR)).toEqual([]);
    expect(read('notices.json')).toEqual({ notices: [] });
  });

  test('the README example is a valid notice and loads', () => {
    const example = readmeExample();
    expect(Notice.safeParse(example).success).toBe(true);
    const loaded = loadNotices(knowledgeDir({ 'notices.json': { notices: [example] } }));
    expect(loaded).toHaveLength(1);
    expect(loaded[0]!.scheduleOverride).toEqual({ scheduleId: 'archive_department', date: '2026-05-15', intervals: [] });
  });
});

describe('a broken calendar.json names the file and the field', () => {
  const mutate = (change: (cal: any) => void) => {
    const cal = read('calendar.json');
    change(cal);
    return cal;
  };
  test.each([
    ['a transfer from a Saturday', (c: any) => { c.transfers.days[0].closed = '2024-12-21'; }, 'transfers.days.0.closed', /Monday to Friday/],
    ['a transfer to a weekday', (c: any) => { c.transfers.days[0].workedOn = '2024-12-13'; }, 'transfers.days.0.workedOn', /Saturday/],
    ['a transfer from a public holiday', (c: any) => { c.transfers.days[0].closed = '2024-12-24'; }, 'transfers.days.0.closed', /public holiday/],
    ['a date used twice', (c: any) => { c.transfers.days[1].workedOn = '2024-12-14'; }, 'transfers.days.1.workedOn', /already/],
    ['a day that does not exist', (c: any) => { c.festivalClosingDays.dates[0].date = '2023-02-30'; }, 'festivalClosingDays.dates.0.date', /not a real calendar date/],
    ['a day beyond the month', (c: any) => { c.fixed[0].day = 32; }, 'fixed.0.day', /./],
    ['30 February', (c: any) => { c.fixed[0].month = 2; c.fixed[0].day = 30; }, 'fixed.0.day', /no such day/],
    ['an unknown source', (c: any) => { c.fixed[2].source = 'hearsay'; }, 'fixed.2.source', /unknown source "hearsay"/],
    ['a missing source', (c: any) => { delete c.moving[0].source; }, 'moving.0.source', /Required/],
    ['a missing translation', (c: any) => { c.fixed[0].name.en = ''; }, 'fixed.0.name.en', /./],
    ['an unknown holiday in the weekend rule', (c: any) => { c.weekendRule.appliesTo.push('christmas'); }, 'weekendRule.appliesTo.3', /unknown holiday "christmas"/],
    ['a duplicate id', (c: any) => { c.moving[1].id = 'good_friday'; }, 'moving.1.id', /duplicate id/],
    ['a name template without {holiday}', (c: any) => { c.weekendRule.name.en = 'Day off'; }, 'weekendRule.name', /\{holiday\}/],
    ['an unknown Easter rule', (c: any) => { c.moving[0].rule = { kind: 'orthodox_easter', offset: 0 }; }, 'moving.0.rule.kind', /./],
  ])('%s', (_label, change, field, message) => {
    const dir = knowledgeDir({ 'calendar.json': mutate(change) });
    let error: unknown;
    try { loadCalendar(dir); } catch (err) { error = err; }
    expect(error).toBeInstanceOf(KnowledgeError);
    const text = (error as Error).message;
    expect(text).toContain(join(dir, 'calendar.json'));
    expect(text).toContain(`field "${field}"`);
    expect(text).toMatch(message);
  });

  test('an unknown field, such as an "_example", is refused', () => {
    const dir = knowledgeDir({ 'calendar.json': mutate((c) => { c._example = {}; }) });
    expect(() => loadCalendar(dir)).toThrow(/calendar\.json: .*_example/);
  });

  test('a file that is not JSON', () => {
    const dir = knowledgeDir({ 'calendar.json': '{ "fixed": [' });
    expect(() => loadCalendar(dir)).toThrow(/calendar\.json: cannot be read as JSON/);
  });
});

describe('a broken notices.json names the file and the field', () => {
  test.each([
    ['"to" before "from"', [notice({ from: '2026-05-15', to: '2026-05-08' })], 'notices.0.to', /before "from"/],
    ['a date that does not exist', [notice({ to: '2026-02-30' })], 'notices.0.to', /not a real calendar date/],
    ['a missing translation', [notice({ text: { lv: 'Slēgts', en: '' } })], 'notices.0.text.en', /./],
    ['no scope', [notice({ scope: [] })], 'notices.0.scope', /./],
    ['an unknown scope', [notice({ scope: ['everywhere'] })], 'notices.0.scope.0', /./],
    ['a duplicate id', [notice(), notice()], 'notices.1.id', /duplicate id/],
    ['an override outside the notice dates', [notice({ scheduleOverride: { scheduleId: 'archive_department', date: '2026-05-20', intervals: [] } })], 'notices.0.scheduleOverride.date', /within/],
    ['an override of an unknown schedule', [notice({ scheduleOverride: { scheduleId: 'canteen', date: '2026-05-15', intervals: [] } })], 'notices.0.scheduleOverride.scheduleId', /unknown schedule "canteen"/],
    ['a time that is not HH:MM', [notice({ scheduleOverride: { scheduleId: 'archive_department', date: '2026-05-15', intervals: [['9:00', '12:00']] } })], 'notices.0.scheduleOverride.intervals.0.0', /HH:MM/],
    ['an interval that ends before it starts', [notice({ scheduleOverride: { scheduleId: 'archive_department', date: '2026-05-15', intervals: [['12:00', '09:00']] } })], 'notices.0.scheduleOverride.intervals.0', /end after/],
    ['overlapping intervals', [notice({ scheduleOverride: { scheduleId: 'archive_department', date: '2026-05-15', intervals: [['09:00', '12:00'], ['11:00', '13:00']] } })], 'notices.0.scheduleOverride.intervals.1', /overlap/],
    ['two overrides of one schedule and date', [
      notice({ id: 'a', scheduleOverride: { scheduleId: 'archive_department', date: '2026-05-15', intervals: [] } }),
      notice({ id: 'b', scheduleOverride: { scheduleId: 'archive_department', date: '2026-05-15', intervals: [['09:00', '10:00']] } }),
    ], 'notices.1.scheduleOverride', /second override/],
    ['an unknown field', [notice({ _example: true })], 'notices.0', /_example/],
  ])('%s', (_label, notices, field, message) => {
    const dir = knowledgeDir({ 'notices.json': { notices } });
    let error: unknown;
    try { loadNotices(dir); } catch (err) { error = err; }
    expect(error).toBeInstanceOf(KnowledgeError);
    const text = (error as Error).message;
    expect(text).toContain(join(dir, 'notices.json'));
    expect(text).toContain(`field "${field}"`);
    expect(text).toMatch(message);
  });

  test('a notices file without the list', () => {
    expect(() => loadNotices(knowledgeDir({ 'notices.json': [] }))).toThrow(/notices\.json: field ""/);
  });
});
