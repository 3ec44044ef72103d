import { join } from 'node:path';
import { Calendar, loadCalendar, loadNotices, parseIsoDate, toIsoDate } from '../../knowledge/calendarRules';
import { CalendarFile } from '../../knowledge/calendarSchema';
import { loadKnowledge } from '../../knowledge/loader';
import { Notice } from '../../knowledge/noticesSchema';
import {
  activeNotices, dayHours, localNow, nextOpening, openAt, type OpenAt, resolveDay, timeToMinutes,
} from '../../knowledge/opening';
import type { Schedule } from '../../knowledge/schema';

const KNOWLEDGE_DIR = join(__dirname, '..', '..', 'knowledge');
const knowledge = loadKnowledge(KNOWLEDGE_DIR);
const calendar = loadCalendar(KNOWLEDGE_DIR);
const shippedNotices = loadNotices(KNOWLEDGE_DIR);
const day = parseIsoDate;

type ScheduleId = 'certificate_reception' | 'centre_archive_reception' | 'archive_department';
const schedule = (id: ScheduleId): Schedule => knowledge.schedule(id);

/** "2026-03-23 09:00" as Riga shows the instant. */
function rigaText(instant: string): string {
  const { date, minutes } = localNow(new Date(instant));
  return `${toIsoDate(date)} ${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** "open 09:00-11:00" or the reason it is closed. */
function summary(result: OpenAt): string {
  return result.open ? `open ${result.interval![0]}-${result.interval![1]}` : result.closedReason!;
}

function openNow(id: ScheduleId, instant: string, notices: Notice[] = shippedNotices, cal: Calendar = calendar): OpenAt {
  const here = localNow(new Date(instant));
  return openAt(schedule(id), cal, notices, here.date, here.minutes);
}

describe('localNow: Riga time from a UTC instant, across both clock changes of 2026', () => {
  test.each([
    // winter time (EET, UTC+2)
    ['2026-03-23T07:00:00Z', '2026-03-23 09:00', 'mon'],
    // Sunday 29 March 2026: 03:00 EET becomes 04:00 EEST at 01:00 UTC
    ['2026-03-28T22:00:00Z', '2026-03-29 00:00', 'sun'],
    ['2026-03-29T00:59:00Z', '2026-03-29 02:59', 'sun'],
    ['2026-03-29T01:00:00Z', '2026-03-29 04:00', 'sun'],
    ['2026-03-29T21:00:00Z', '2026-03-30 00:00', 'mon'],
    // summer time (EEST, UTC+3)
    ['2026-03-30T05:00:00Z', '2026-03-30 08:00', 'mon'],
    ['2026-06-30T21:00:00Z', '2026-07-01 00:00', 'wed'],
    // Sunday 25 October 2026: 04:00 EEST becomes 03:00 EET at 01:00 UTC; 03:30 happens twice
    ['2026-10-24T21:30:00Z', '2026-10-25 00:30', 'sun'],
    ['2026-10-25T00:30:00Z', '2026-10-25 03:30', 'sun'],
    ['2026-10-25T00:59:00Z', '2026-10-25 03:59', 'sun'],
    ['2026-10-25T01:00:00Z', '2026-10-25 03:00', 'sun'],
    ['2026-10-25T01:30:00Z', '2026-10-25 03:30', 'sun'],
    ['2026-10-25T21:59:00Z', '2026-10-25 23:59', 'sun'],
    ['2026-10-25T22:00:00Z', '2026-10-26 00:00', 'mon'],
    // year end, in winter time
    ['2026-12-31T21:59:00Z', '2026-12-31 23:59', 'thu'],
    ['2026-12-31T22:00:00Z', '2027-01-01 00:00', 'fri'],
  ])('%s is %s in Riga (%s)', (instant, local, weekday) => {
    expect(rigaText(instant)).toBe(local);
    expect(localNow(new Date(instant)).weekday).toBe(weekday);
  });

  test('an invalid Date is refused', () => {
    expect(() => localNow(new Date('not a date'))).toThrow(RangeError);
  });

  test('the process time zone plays no part', () => {
    // the same instant gives the same answer whatever TZ the process runs in: only Intl with Europe/Riga is used
    expect(localNow(new Date('2026-01-15T22:30:00Z'))).toEqual({ date: day('2026-01-16'), weekday: 'fri', minutes: 30 });
  });
});

describe('open now? a full week of pinned instants for each schedule', () => {
  // [UTC instant, Riga wall clock (checked), schedule, expected]
  // Week of Monday 23 March 2026 (EET, UTC+2); Sunday 29 March is the spring clock change.
  const winterWeek: Array<[string, string, ScheduleId, string]> = [
    // certificate_reception: Mon/Wed/Fri 09-11, 13-16; Tue/Thu 10-13, 14-18
    ['2026-03-23T06:59:00Z', '2026-03-23 08:59', 'certificate_reception', 'before'],
    ['2026-03-23T07:00:00Z', '2026-03-23 09:00', 'certificate_reception', 'open 09:00-11:00'],
    ['2026-03-23T08:59:00Z', '2026-03-23 10:59', 'certificate_reception', 'open 09:00-11:00'],
    ['2026-03-23T09:00:00Z', '2026-03-23 11:00', 'certificate_reception', 'break'],
    ['2026-03-23T11:00:00Z', '2026-03-23 13:00', 'certificate_reception', 'open 13:00-16:00'],
    ['2026-03-23T14:00:00Z', '2026-03-23 16:00', 'certificate_reception', 'after'],
    ['2026-03-24T07:30:00Z', '2026-03-24 09:30', 'certificate_reception', 'before'],
    ['2026-03-24T08:00:00Z', '2026-03-24 10:00', 'certificate_reception', 'open 10:00-13:00'],
    ['2026-03-24T11:30:00Z', '2026-03-24 13:30', 'certificate_reception', 'break'],
    ['2026-03-24T15:59:00Z', '2026-03-24 17:59', 'certificate_reception', 'open 14:00-18:00'],
    ['2026-03-24T16:00:00Z', '2026-03-24 18:00', 'certificate_reception', 'after'],
    ['2026-03-25T10:00:00Z', '2026-03-25 12:00', 'certificate_reception', 'break'],
    ['2026-03-25T13:00:00Z', '2026-03-25 15:00', 'certificate_reception', 'open 13:00-16:00'],
    ['2026-03-26T09:00:00Z', '2026-03-26 11:00', 'certificate_reception', 'open 10:00-13:00'],
    ['2026-03-26T18:00:00Z', '2026-03-26 20:00', 'certificate_reception', 'after'],
    ['2026-03-27T06:00:00Z', '2026-03-27 08:00', 'certificate_reception', 'before'],
    ['2026-03-27T12:00:00Z', '2026-03-27 14:00', 'certificate_reception', 'open 13:00-16:00'],
    ['2026-03-28T08:00:00Z', '2026-03-28 10:00', 'certificate_reception', 'weekend'],
    ['2026-03-29T09:00:00Z', '2026-03-29 12:00', 'certificate_reception', 'weekend'],
    // centre_archive_reception: Mon-Fri 08-12, 12:30-16:30
    ['2026-03-23T05:59:00Z', '2026-03-23 07:59', 'centre_archive_reception', 'before'],
    ['2026-03-23T06:00:00Z', '2026-03-23 08:00', 'centre_archive_reception', 'open 08:00-12:00'],
    ['2026-03-24T10:15:00Z', '2026-03-24 12:15', 'centre_archive_reception', 'break'],
    ['2026-03-25T10:30:00Z', '2026-03-25 12:30', 'centre_archive_reception', 'open 12:30-16:30'],
    ['2026-03-26T14:29:00Z', '2026-03-26 16:29', 'centre_archive_reception', 'open 12:30-16:30'],
    ['2026-03-27T14:30:00Z', '2026-03-27 16:30', 'centre_archive_reception', 'after'],
    ['2026-03-28T07:00:00Z', '2026-03-28 09:00', 'centre_archive_reception', 'weekend'],
    ['2026-03-29T00:59:00Z', '2026-03-29 02:59', 'centre_archive_reception', 'weekend'],
    ['2026-03-29T01:00:00Z', '2026-03-29 04:00', 'centre_archive_reception', 'weekend'],
    // archive_department: Mon-Thu 08-12, 13-15; no Friday hours
    ['2026-03-23T06:30:00Z', '2026-03-23 08:30', 'archive_department', 'open 08:00-12:00'],
    ['2026-03-23T10:30:00Z', '2026-03-23 12:30', 'archive_department', 'break'],
    ['2026-03-24T11:00:00Z', '2026-03-24 13:00', 'archive_department', 'open 13:00-15:00'],
    ['2026-03-25T13:00:00Z', '2026-03-25 15:00', 'archive_department', 'after'],
    ['2026-03-26T05:00:00Z', '2026-03-26 07:00', 'archive_department', 'before'],
    ['2026-03-27T07:00:00Z', '2026-03-27 09:00', 'archive_department', 'not_this_day'],
    ['2026-03-28T07:00:00Z', '2026-03-28 09:00', 'archive_department', 'weekend'],
    ['2026-03-29T07:00:00Z', '2026-03-29 10:00', 'archive_department', 'weekend'],
    // Monday after the spring change (EEST, UTC+3): 05:00 UTC is now 08:00
    ['2026-03-30T04:59:00Z', '2026-03-30 07:59', 'centre_archive_reception', 'before'],
    ['2026-03-30T05:00:00Z', '2026-03-30 08:00', 'centre_archive_reception', 'open 08:00-12:00'],
    ['2026-03-30T05:00:00Z', '2026-03-30 08:00', 'archive_department', 'open 08:00-12:00'],
    ['2026-03-30T05:00:00Z', '2026-03-30 08:00', 'certificate_reception', 'before'],
  ];
  // Week of Monday 19 October 2026 (EEST, UTC+3); Sunday 25 October is the autumn clock change.
  const summerWeek: Array<[string, string, ScheduleId, string]> = [
    ['2026-10-19T06:00:00Z', '2026-10-19 09:00', 'certificate_reception', 'open 09:00-11:00'],
    ['2026-10-20T14:59:00Z', '2026-10-20 17:59', 'certificate_reception', 'open 14:00-18:00'],
    ['2026-10-21T09:00:00Z', '2026-10-21 12:00', 'certificate_reception', 'break'],
    ['2026-10-22T06:59:00Z', '2026-10-22 09:59', 'certificate_reception', 'before'],
    ['2026-10-23T13:00:00Z', '2026-10-23 16:00', 'certificate_reception', 'after'],
    ['2026-10-22T11:59:00Z', '2026-10-22 14:59', 'archive_department', 'open 13:00-15:00'],
    ['2026-10-23T06:00:00Z', '2026-10-23 09:00', 'archive_department', 'not_this_day'],
    ['2026-10-23T04:59:00Z', '2026-10-23 07:59', 'centre_archive_reception', 'before'],
    ['2026-10-23T05:00:00Z', '2026-10-23 08:00', 'centre_archive_reception', 'open 08:00-12:00'],
    ['2026-10-24T08:00:00Z', '2026-10-24 11:00', 'centre_archive_reception', 'weekend'],
    ['2026-10-25T00:30:00Z', '2026-10-25 03:30', 'centre_archive_reception', 'weekend'],
    ['2026-10-25T01:30:00Z', '2026-10-25 03:30', 'centre_archive_reception', 'weekend'],
    // Monday after the autumn change (EET, UTC+2): 06:00 UTC is now 08:00
    ['2026-10-26T05:59:00Z', '2026-10-26 07:59', 'centre_archive_reception', 'before'],
    ['2026-10-26T06:00:00Z', '2026-10-26 08:00', 'centre_archive_reception', 'open 08:00-12:00'],
    ['2026-10-26T06:00:00Z', '2026-10-26 08:00', 'archive_department', 'open 08:00-12:00'],
    ['2026-10-26T13:59:00Z', '2026-10-26 15:59', 'certificate_reception', 'open 13:00-16:00'],
    ['2026-10-26T14:00:00Z', '2026-10-26 16:00', 'certificate_reception', 'after'],
  ];

  test.each([...winterWeek, ...summerWeek])('%s (Riga %s) %s: %s', (instant, local, id, expected) => {
    expect(rigaText(instant)).toBe(local);
    expect(summary(openNow(id, instant))).toBe(expected);
  });

  test('before and during a break, the result names the interval that opens next', () => {
    expect(openNow('certificate_reception', '2026-03-23T06:59:00Z')).toEqual({ open: false, closedReason: 'before', next: ['09:00', '11:00'] });
    expect(openNow('certificate_reception', '2026-03-23T09:00:00Z')).toEqual({ open: false, closedReason: 'break', next: ['13:00', '16:00'] });
    expect(openNow('certificate_reception', '2026-03-23T14:00:00Z')).toEqual({ open: false, closedReason: 'after' });
  });

  test('minutes out of range are refused', () => {
    expect(() => openAt(schedule('certificate_reception'), calendar, [], day('2026-03-23'), 1440)).toThrow(RangeError);
    expect(() => openAt(schedule('certificate_reception'), calendar, [], day('2026-03-23'), -1)).toThrow(RangeError);
  });
});

describe('public holidays close every schedule', () => {
  test.each([
    ['2026-01-01T08:00:00Z', 'certificate_reception', "New Year's Day"],                   // Thursday
    ['2024-05-06T07:00:00Z', 'certificate_reception', 'Day off because Restoration of Independence of the Republic of Latvia fell on a weekend'],
    ['2024-05-06T07:00:00Z', 'archive_department', 'Day off because Restoration of Independence of the Republic of Latvia fell on a weekend'],
    ['2023-11-20T08:00:00Z', 'centre_archive_reception', 'Day off because Proclamation Day of the Republic of Latvia fell on a weekend'],
    ['2023-07-10T07:00:00Z', 'centre_archive_reception', 'Day off because Closing day of the General Latvian Song and Dance Festival fell on a weekend'],
    ['2025-04-18T07:00:00Z', 'certificate_reception', 'Good Friday'],
    ['2025-04-18T07:00:00Z', 'centre_archive_reception', 'Good Friday'],
    ['2025-04-21T07:00:00Z', 'archive_department', 'Easter Monday'],
    ['2025-06-23T07:00:00Z', 'certificate_reception', 'Midsummer Eve (Līgo Day)'],
    ['2025-06-24T07:00:00Z', 'certificate_reception', 'Midsummer Day (Jāņi)'],
    ['2025-12-31T08:00:00Z', 'centre_archive_reception', "New Year's Eve"],
    // a holiday on a weekend is reported as the holiday
    ['2024-05-04T07:00:00Z', 'certificate_reception', 'Restoration of Independence of the Republic of Latvia'],
    ['2025-04-20T07:00:00Z', 'certificate_reception', 'Easter Sunday'],
  ] as const)('%s %s: closed for %s', (instant, id, name) => {
    const result = openNow(id, instant);
    expect(result).toMatchObject({ open: false, closedReason: 'holiday' });
    expect(result.holiday?.en).toBe(name);
    expect(result.holiday?.lv.length).toBeGreaterThan(3);
  });

  test.each([
    ['2025-04-22T07:00:00Z', 'certificate_reception', 'open 10:00-13:00'],     // Tuesday after Easter
    ['2023-06-26T07:00:00Z', 'certificate_reception', 'open 09:00-11:00'],     // Monday after 24 June on a Saturday
    ['2024-05-07T07:00:00Z', 'centre_archive_reception', 'open 08:00-12:00'],  // Tuesday after the day off for 4 May
    ['2024-05-03T07:00:00Z', 'certificate_reception', 'open 09:00-11:00'],     // Friday before
  ] as const)('%s %s: %s', (instant, id, expected) => {
    expect(summary(openNow(id, instant))).toBe(expected);
  });
});

describe('a working day moved to a Saturday (2024)', () => {
  test.each([
    // Saturday 14 December 2024 is worked with Monday's hours (it replaces Monday 23 December)
    ['2024-12-14T06:59:00Z', 'certificate_reception', 'before'],
    ['2024-12-14T08:00:00Z', 'certificate_reception', 'open 09:00-11:00'],
    ['2024-12-14T11:30:00Z', 'certificate_reception', 'open 13:00-16:00'],
    ['2024-12-14T08:00:00Z', 'archive_department', 'open 08:00-12:00'],
    ['2024-12-14T14:00:00Z', 'centre_archive_reception', 'open 12:30-16:30'],
    ['2024-12-28T08:00:00Z', 'certificate_reception', 'open 09:00-11:00'],
    // Monday 23 and Monday 30 December 2024 are closed
    ['2024-12-23T08:00:00Z', 'certificate_reception', 'holiday'],
    ['2024-12-23T08:00:00Z', 'archive_department', 'holiday'],
    ['2024-12-30T08:00:00Z', 'centre_archive_reception', 'holiday'],
    // an ordinary Saturday between them stays closed
    ['2024-12-21T08:00:00Z', 'certificate_reception', 'weekend'],
  ] as const)('%s %s: %s', (instant, id, expected) => {
    expect(summary(openNow(id, instant))).toBe(expected);
  });

  test('the closed Monday says why, and the worked Saturday says whose hours', () => {
    const closed = openNow('certificate_reception', '2024-12-23T08:00:00Z');
    expect(closed.holiday).toEqual({ lv: 'Darba diena pārcelta uz sestdienu', en: 'Working day moved to a Saturday' });
    expect(closed.transfer).toMatchObject({ kind: 'closed', workedOn: day('2024-12-14') });
    const saturday = dayHours(schedule('certificate_reception'), calendar, [], day('2024-12-14'));
    expect(saturday).toMatchObject({ open: true, weekday: 'sat', hoursOf: 'mon', intervals: [['09:00', '11:00'], ['13:00', '16:00']] });
    expect(saturday.transfer).toMatchObject({ kind: 'worked', closed: day('2024-12-23') });
  });

  test('a worked Saturday replacing a Friday stays closed for the Archive Department, which has no Friday hours', () => {
    const data = CalendarFile.parse(require('../../knowledge/calendar.json'));
    data.transfers.days = [{ closed: '2026-05-15', workedOn: '2026-05-09', source: 'vdi' }];
    const cal = new Calendar(data);
    expect(dayHours(schedule('archive_department'), cal, [], day('2026-05-09'))).toMatchObject({ open: false, closedReason: 'not_this_day' });
    expect(dayHours(schedule('centre_archive_reception'), cal, [], day('2026-05-09'))).toMatchObject({ open: true, hoursOf: 'fri' });
    expect(dayHours(schedule('archive_department'), cal, [], day('2026-05-15'))).toMatchObject({ open: false, closedReason: 'holiday' });
  });
});

describe('dayHours', () => {
  test.each([
    ['2026-03-23', 'certificate_reception', { open: true, weekday: 'mon', hoursOf: 'mon', intervals: [['09:00', '11:00'], ['13:00', '16:00']] }],
    ['2026-03-24', 'certificate_reception', { open: true, weekday: 'tue', intervals: [['10:00', '13:00'], ['14:00', '18:00']] }],
    ['2026-03-27', 'archive_department', { open: false, intervals: [], closedReason: 'not_this_day' }],
    ['2026-03-28', 'archive_department', { open: false, intervals: [], closedReason: 'weekend' }],
    ['2026-04-03', 'centre_archive_reception', { open: false, intervals: [], closedReason: 'holiday', holiday: { lv: 'Lielā Piektdiena', en: 'Good Friday' } }],
    ['2026-04-05', 'centre_archive_reception', { open: false, intervals: [], closedReason: 'holiday', holiday: { lv: 'Pirmās Lieldienas', en: 'Easter Sunday' } }],
  ] as const)('%s %s', (iso, id, expected) => {
    expect(dayHours(schedule(id), calendar, shippedNotices, day(iso))).toMatchObject(expected);
  });
});

describe('nextOpening', () => {
  const next = (id: ScheduleId, instant: string, notices: Notice[] = shippedNotices) => {
    const n = nextOpening(schedule(id), calendar, notices, new Date(instant));
    return n && { date: toIsoDate(n.date), from: n.from, to: n.to, weekday: n.weekday, daysAhead: n.daysAhead, openNow: n.openNow, ...(n.hoursOf ? { hoursOf: n.hoursOf } : {}) };
  };

  test.each([
    // open now: "open now until 11:00"
    ['2026-03-23T07:30:00Z', 'certificate_reception', { date: '2026-03-23', from: '09:00', to: '11:00', weekday: 'mon', daysAhead: 0, openNow: true }],
    // before opening and in the break: later today
    ['2026-03-23T05:00:00Z', 'certificate_reception', { date: '2026-03-23', from: '09:00', to: '11:00', weekday: 'mon', daysAhead: 0, openNow: false }],
    ['2026-03-23T09:30:00Z', 'certificate_reception', { date: '2026-03-23', from: '13:00', to: '16:00', weekday: 'mon', daysAhead: 0, openNow: false }],
    // at closing time exactly: the next day, "next: Tuesday 10:00"
    ['2026-03-23T14:00:00Z', 'certificate_reception', { date: '2026-03-24', from: '10:00', to: '13:00', weekday: 'tue', daysAhead: 1, openNow: false }],
    // Thursday evening: the Archive Department has no Friday hours
    ['2026-03-26T16:00:00Z', 'archive_department', { date: '2026-03-30', from: '08:00', to: '12:00', weekday: 'mon', daysAhead: 4, openNow: false }],
    // over the spring clock change: Saturday 28 March to Monday 30 March
    ['2026-03-28T10:00:00Z', 'certificate_reception', { date: '2026-03-30', from: '09:00', to: '11:00', weekday: 'mon', daysAhead: 2, openNow: false }],
    // over the autumn clock change: Saturday 24 October 22:00 EEST to Monday 26 October
    ['2026-10-24T19:00:00Z', 'centre_archive_reception', { date: '2026-10-26', from: '08:00', to: '12:00', weekday: 'mon', daysAhead: 2, openNow: false }],
    // 00:30 on Monday in Riga is still Sunday in UTC: today is Monday
    ['2026-10-25T22:30:00Z', 'centre_archive_reception', { date: '2026-10-26', from: '08:00', to: '12:00', weekday: 'mon', daysAhead: 0, openNow: false }],
    // Easter 2025 from Thursday 17 April 19:00: Good Friday, the weekend, Easter Monday -> Tuesday 22 April
    ['2025-04-17T16:00:00Z', 'certificate_reception', { date: '2025-04-22', from: '10:00', to: '13:00', weekday: 'tue', daysAhead: 5, openNow: false }],
    ['2025-04-17T16:00:00Z', 'archive_department', { date: '2025-04-22', from: '08:00', to: '12:00', weekday: 'tue', daysAhead: 5, openNow: false }],
    // Christmas 2025 from Tuesday 23 December 20:00: 24-26 December holidays, weekend -> Monday 29 December
    // (no 2025 transfers are in the data: they are unconfirmed)
    ['2025-12-23T18:00:00Z', 'certificate_reception', { date: '2025-12-29', from: '09:00', to: '11:00', weekday: 'mon', daysAhead: 6, openNow: false }],
    ['2025-12-23T18:00:00Z', 'archive_department', { date: '2025-12-29', from: '08:00', to: '12:00', weekday: 'mon', daysAhead: 6, openNow: false }],
    // New Year 2026 from Wednesday 31 December: 1 January is Thursday
    ['2025-12-31T10:00:00Z', 'certificate_reception', { date: '2026-01-02', from: '09:00', to: '11:00', weekday: 'fri', daysAhead: 2, openNow: false }],
    ['2025-12-31T10:00:00Z', 'archive_department', { date: '2026-01-05', from: '08:00', to: '12:00', weekday: 'mon', daysAhead: 5, openNow: false }],
    // 4 May 2024 on a Saturday: from Friday evening, past the day off on Monday 6 May
    ['2024-05-03T16:00:00Z', 'certificate_reception', { date: '2024-05-07', from: '10:00', to: '13:00', weekday: 'tue', daysAhead: 4, openNow: false }],
    // Christmas 2024 with the moved working days: Friday 20 December evening -> Friday 27 December
    ['2024-12-20T16:00:00Z', 'certificate_reception', { date: '2024-12-27', from: '09:00', to: '11:00', weekday: 'fri', daysAhead: 7, openNow: false }],
    // Friday 13 December 2024 evening -> the worked Saturday, with Monday's hours
    ['2024-12-13T16:00:00Z', 'certificate_reception', { date: '2024-12-14', from: '09:00', to: '11:00', weekday: 'sat', hoursOf: 'mon', daysAhead: 1, openNow: false }],
    ['2024-12-27T16:00:00Z', 'archive_department', { date: '2024-12-28', from: '08:00', to: '12:00', weekday: 'sat', hoursOf: 'mon', daysAhead: 1, openNow: false }],
  ] as const)('from %s, %s', (instant, id, expected) => {
    expect(next(id, instant)).toEqual(expected);
  });

  test('a schedule that never opens has no next opening', () => {
    const never: Schedule = { ...schedule('archive_department'), week: {} };
    expect(nextOpening(never, calendar, [], new Date('2026-03-23T07:00:00Z'))).toBeUndefined();
  });

  test('the answer depends only on the instant given', () => {
    const instant = new Date('2026-03-23T07:30:00Z');
    const first = nextOpening(schedule('certificate_reception'), calendar, [], instant);
    expect(nextOpening(schedule('certificate_reception'), calendar, [], new Date(instant))).toEqual(first);
  });
});

describe('notices', () => {
  const closure = Notice.parse({
    id: 'archive-closed',
    from: '2026-05-08',
    to: '2026-05-15',
    text: { lv: '14. maijā Arhīva nodaļa apmeklētājus nepieņem.', en: 'On 14 May the Archive Department does not receive visitors.' },
    scope: ['hours', 'start'],
    scheduleOverride: { scheduleId: 'archive_department', date: '2026-05-14', intervals: [] },
  });
  const shortDay = Notice.parse({
    id: 'short-day',
    from: '2026-05-11',
    to: '2026-05-11',
    text: { lv: '11. maijā pieņemšana līdz 10:00.', en: 'On 11 May reception until 10:00.' },
    scope: ['hours'],
    scheduleOverride: { scheduleId: 'certificate_reception', date: '2026-05-11', intervals: [['09:00', '10:00']] },
  });
  const opensOnHoliday = Notice.parse({
    id: 'open-on-holiday',
    from: '2026-05-01',
    to: '2026-05-01',
    text: { lv: '1. maijā strādājam no 10:00 līdz 12:00.', en: 'On 1 May we are open 10:00-12:00.' },
    scope: ['hours'],
    scheduleOverride: { scheduleId: 'centre_archive_reception', date: '2026-05-01', intervals: [['10:00', '12:00']] },
  });
  const startOnly = Notice.parse({
    id: 'e-service',
    from: '2026-05-01',
    to: '2026-05-31',
    text: { lv: 'Jauns e-pakalpojums.', en: 'A new e-service.' },
    scope: ['start'],
  });
  const notices = [closure, shortDay, opensOnHoliday, startOnly];

  test.each([
    // [instant, Riga date, ids active for 'hours', ids active for 'start']
    ['2026-05-07T20:59:00Z', '2026-05-07', [], ['e-service']],                               // 23:59 on the 7th
    ['2026-05-07T21:00:00Z', '2026-05-08', ['archive-closed'], ['archive-closed', 'e-service']], // 00:00 on the 8th (still the 7th in UTC)
    ['2026-05-11T07:00:00Z', '2026-05-11', ['archive-closed', 'short-day'], ['archive-closed', 'e-service']],
    ['2026-05-15T20:59:00Z', '2026-05-15', ['archive-closed'], ['archive-closed', 'e-service']], // 23:59 on the last day
    ['2026-05-15T21:00:00Z', '2026-05-16', [], ['e-service']],
    ['2026-06-01T07:00:00Z', '2026-06-01', [], []],
    ['2026-04-30T21:00:00Z', '2026-05-01', ['open-on-holiday'], ['e-service']],
  ])('at %s (Riga %s)', (instant, iso, hours, start) => {
    const date = localNow(new Date(instant)).date;
    expect(toIsoDate(date)).toBe(iso);
    expect(activeNotices(notices, date, 'hours').map((n) => n.id)).toEqual(hours);
    expect(activeNotices(notices, date, 'start').map((n) => n.id)).toEqual(start);
  });

  test('an override with no intervals closes that schedule on that date only', () => {
    const closed = openNow('archive_department', '2026-05-14T06:00:00Z', notices);
    expect(closed).toMatchObject({ open: false, closedReason: 'notice' });
    expect(closed.notice?.id).toBe('archive-closed');
    expect(summary(openNow('centre_archive_reception', '2026-05-14T06:00:00Z', notices))).toBe('open 08:00-12:00');
    expect(summary(openNow('archive_department', '2026-05-13T06:00:00Z', notices))).toBe('open 08:00-12:00');
  });

  test('an override with intervals replaces the weekly hours', () => {
    expect(summary(openNow('certificate_reception', '2026-05-11T06:30:00Z', notices))).toBe('open 09:00-10:00');
    expect(summary(openNow('certificate_reception', '2026-05-11T07:00:00Z', notices))).toBe('after');
    expect(dayHours(schedule('certificate_reception'), calendar, notices, day('2026-05-11'))).toMatchObject({ open: true, intervals: [['09:00', '10:00']] });
  });

  test('an override opens a schedule on a public holiday', () => {
    const result = openNow('centre_archive_reception', '2026-05-01T07:30:00Z', notices);
    expect(result).toMatchObject({ open: true, interval: ['10:00', '12:00'] });
    expect(result.notice?.id).toBe('open-on-holiday');
    expect(summary(openNow('centre_archive_reception', '2026-05-01T07:30:00Z', []))).toBe('holiday');
  });

  test('the override applies to its date when asked ahead of time, too', () => {
    expect(dayHours(schedule('archive_department'), calendar, notices, day('2026-05-14'))).toMatchObject({ open: false, closedReason: 'notice' });
  });

  test('nextOpening skips a day a notice closes', () => {
    // Wednesday 13 May 2026 after 15:00: Thursday 14 is closed by the notice, Friday has no hours -> Monday 18
    const n = nextOpening(schedule('archive_department'), calendar, notices, new Date('2026-05-13T13:00:00Z'))!;
    expect([toIsoDate(n.date), n.from, n.daysAhead]).toEqual(['2026-05-18', '08:00', 5]);
    expect(nextOpening(schedule('archive_department'), calendar, [], new Date('2026-05-13T13:00:00Z'))!.date).toEqual(day('2026-05-14'));
  });

  test('nextOpening reports the notice that set the hours', () => {
    const n = nextOpening(schedule('certificate_reception'), calendar, notices, new Date('2026-05-11T05:00:00Z'))!;
    expect([toIsoDate(n.date), n.from, n.to, n.notice?.id]).toEqual(['2026-05-11', '09:00', '10:00', 'short-day']);
  });
});

describe('resolveDay', () => {
  // Wednesday 25 March 2026, 10:00 in Riga
  const wednesday = new Date('2026-03-25T08:00:00Z');
  test.each([
    [{}, '2026-03-25'],
    [{ relativeDay: 'now' }, '2026-03-25'],
    [{ relativeDay: 'today' }, '2026-03-25'],
    [{ relativeDay: 'tomorrow' }, '2026-03-26'],
    [{ relativeDay: 'day_after_tomorrow' }, '2026-03-27'],
    [{ weekday: 'wed' }, '2026-03-25'], // today included
    [{ weekday: 'thu' }, '2026-03-26'],
    [{ weekday: 'sun' }, '2026-03-29'],
    [{ weekday: 'mon' }, '2026-03-30'],
    [{ weekday: 'tue' }, '2026-03-31'],
    [{ weekday: 'mon', relativeDay: 'tomorrow' }, '2026-03-26'], // the relative day wins
  ] as const)('%j on Wednesday 25 March 2026', (query, iso) => {
    expect(toIsoDate(resolveDay(wednesday, query))).toBe(iso);
  });

  test('days count from the Riga date, not the UTC date', () => {
    // 00:30 on Thursday 26 March in Riga, still Wednesday in UTC
    const lateNight = new Date('2026-03-25T22:30:00Z');
    expect(toIsoDate(resolveDay(lateNight, { relativeDay: 'today' }))).toBe('2026-03-26');
    expect(toIsoDate(resolveDay(lateNight, { relativeDay: 'tomorrow' }))).toBe('2026-03-27');
    expect(toIsoDate(resolveDay(lateNight, { weekday: 'wed' }))).toBe('2026-04-01');
  });

  test('tomorrow over the clock change and the year end', () => {
    expect(toIsoDate(resolveDay(new Date('2026-03-28T22:30:00Z'), { relativeDay: 'tomorrow' }))).toBe('2026-03-30'); // 00:30 Sunday 29th
    expect(toIsoDate(resolveDay(new Date('2026-10-25T21:59:00Z'), { relativeDay: 'tomorrow' }))).toBe('2026-10-26'); // 23:59 Sunday 25th
    expect(toIsoDate(resolveDay(new Date('2026-12-31T22:00:00Z'), { relativeDay: 'today' }))).toBe('2027-01-01');
  });
});

test('timeToMinutes', () => {
  expect(timeToMinutes('00:00')).toBe(0);
  expect(timeToMinutes('16:30')).toBe(990);
  expect(() => timeToMinutes('24:00')).toThrow(RangeError);
});
