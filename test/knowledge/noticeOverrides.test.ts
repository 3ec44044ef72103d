import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCalendar, loadNotices } from '../../knowledge/calendarRules';
import { loadKnowledge } from '../../knowledge/loader';
import { NoticesFile } from '../../knowledge/noticesSchema';
import { dayHours, nextOpening } from '../../knowledge/opening';

/** One notice changing several schedules (`scheduleOverrides`), as the staff console writes them. */
const KNOWLEDGE_DIR = join(__dirname, '..', '..', 'knowledge');
const knowledge = loadKnowledge(KNOWLEDGE_DIR);
const calendar = loadCalendar(KNOWLEDGE_DIR);
const closedBoth = {
  id: 'centre-closed', from: '2026-11-20', to: '2026-11-27', text: { lv: 'Slēgts.', en: 'Closed.' }, scope: ['hours'],
  scheduleOverride: { scheduleId: 'certificate_reception', date: '2026-11-27', intervals: [] },
  scheduleOverrides: [{ scheduleId: 'archive_department', date: '2026-11-26', intervals: [['10:00', '11:00']] }],
};

test('every override of a notice applies to its own schedule and date', () => {
  const [notice] = NoticesFile.parse({ notices: [closedBoth] }).notices;
  const fri = { y: 2026, m: 11, d: 27 };
  const thu = { y: 2026, m: 11, d: 26 };
  expect(dayHours(knowledge.schedule('certificate_reception'), calendar, [notice!], fri)).toMatchObject({ open: false, closedReason: 'notice' });
  expect(dayHours(knowledge.schedule('archive_department'), calendar, [notice!], thu)).toMatchObject({ open: true, intervals: [['10:00', '11:00']] });
  expect(dayHours(knowledge.schedule('archive_department'), calendar, [notice!], fri).notice).toBeUndefined();
  // Friday closed: from Thursday evening the next reception is Monday
  expect(nextOpening(knowledge.schedule('certificate_reception'), calendar, [notice!], new Date('2026-11-26T17:00:00Z'))).toMatchObject({ date: { y: 2026, m: 11, d: 30 } });
});

test('the list is checked like the single override: dates within, one per schedule and date, known schedules', () => {
  const outside = { ...closedBoth, scheduleOverrides: [{ scheduleId: 'archive_department', date: '2026-12-01', intervals: [] }] };
  expect(NoticesFile.safeParse({ notices: [outside] }).error?.issues[0]).toMatchObject({ path: ['notices', 0, 'scheduleOverrides', 0, 'date'] });
  const twice = { ...closedBoth, scheduleOverrides: [{ scheduleId: 'certificate_reception', date: '2026-11-27', intervals: [] }] };
  expect(NoticesFile.safeParse({ notices: [twice] }).error?.issues[0]?.message).toMatch(/second override/);
  const dir = mkdtempSync(join(tmpdir(), 'overrides-'));
  try {
    for (const name of ['hours.json', 'calendar.json']) cpSync(join(KNOWLEDGE_DIR, name), join(dir, name));
    writeFileSync(join(dir, 'notices.json'), JSON.stringify({ notices: [{ ...closedBoth, scheduleOverrides: [{ scheduleId: 'canteen', date: '2026-11-26', intervals: [] }] }] }));
    expect(() => loadNotices(dir)).toThrow(/notices\.0\.scheduleOverrides\.0\.scheduleId" names an unknown schedule "canteen"/);
    writeFileSync(join(dir, 'notices.json'), JSON.stringify({ notices: [{ ...closedBoth, schedules: ['archive_department', 'canteen'] }] }));
    expect(() => loadNotices(dir)).toThrow(/notices\.0\.schedules\.1" names an unknown schedule "canteen"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
