import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  addDays, Calendar, daysBetween, easterSunday, loadCalendar, localDate, parseIsoDate, toIsoDate, weekdayOf,
} from '../../knowledge/calendarRules';
import { CalendarFile } from '../../knowledge/calendarSchema';

const KNOWLEDGE_DIR = join(__dirname, '..', '..', 'knowledge');
const calendar = loadCalendar(KNOWLEDGE_DIR);
const day = parseIsoDate;
const rawCalendar = () => JSON.parse(readFileSync(join(KNOWLEDGE_DIR, 'calendar.json'), 'utf8'));

describe('local dates', () => {
  test('parse, format and arithmetic across month, year and leap days', () => {
    expect(day('2024-12-14')).toEqual({ y: 2024, m: 12, d: 14 });
    expect(toIsoDate({ y: 2024, m: 3, d: 5 })).toBe('2024-03-05');
    expect(toIsoDate(addDays(day('2024-02-28'), 1))).toBe('2024-02-29');
    expect(toIsoDate(addDays(day('2025-02-28'), 1))).toBe('2025-03-01');
    expect(toIsoDate(addDays(day('2025-12-31'), 1))).toBe('2026-01-01');
    expect(toIsoDate(addDays(day('2026-03-01'), -1))).toBe('2026-02-28');
    // the day of the spring and autumn clock change is still one day long in date arithmetic
    expect(daysBetween(day('2026-03-28'), day('2026-03-30'))).toBe(2);
    expect(daysBetween(day('2026-10-24'), day('2026-10-26'))).toBe(2);
  });

  test('impossible dates are rejected', () => {
    expect(() => day('2024-02-30')).toThrow(RangeError);
    expect(() => day('2025-02-29')).toThrow(RangeError);
    expect(() => day('24-12-2024')).toThrow(RangeError);
    expect(() => localDate(2024, 13, 1)).toThrow(RangeError);
  });

  test.each([
    ['2024-12-14', 'sat'], ['2024-12-23', 'mon'], ['2025-04-18', 'fri'], ['2026-03-29', 'sun'], ['2026-10-25', 'sun'], ['2000-02-29', 'tue'],
  ] as const)('%s is a %s', (iso, weekday) => {
    expect(weekdayOf(day(iso))).toBe(weekday);
  });
});

describe('Easter (Western, Gregorian)', () => {
  test.each([
    [2024, '2024-03-31'], [2025, '2025-04-20'], [2026, '2026-04-05'], [2027, '2027-03-28'],
    [2028, '2028-04-16'], [2029, '2029-04-01'], [2030, '2030-04-21'],
    // the extremes and a century year
    [1818, '1818-03-22'], [2285, '2285-03-22'], [2038, '2038-04-25'], [2000, '2000-04-23'], [2019, '2019-04-21'],
  ])('Easter Sunday %i is %s', (year, iso) => {
    expect(toIsoDate(easterSunday(year))).toBe(iso);
  });

  test.each([
    ['2024-03-29', 'Lielā Piektdiena', 'Good Friday'], ['2024-03-31', 'Pirmās Lieldienas', 'Easter Sunday'], ['2024-04-01', 'Otrās Lieldienas', 'Easter Monday'],
    ['2025-04-18', 'Lielā Piektdiena', 'Good Friday'], ['2025-04-20', 'Pirmās Lieldienas', 'Easter Sunday'], ['2025-04-21', 'Otrās Lieldienas', 'Easter Monday'],
    ['2026-04-03', 'Lielā Piektdiena', 'Good Friday'], ['2026-04-06', 'Otrās Lieldienas', 'Easter Monday'],
    ['2030-04-19', 'Lielā Piektdiena', 'Good Friday'], ['2030-04-22', 'Otrās Lieldienas', 'Easter Monday'],
  ])('%s is %s', (iso, lv, en) => {
    expect(calendar.isPublicHoliday(day(iso))?.name).toEqual({ lv, en });
  });

  test('Holy Thursday and the Tuesday after Easter are working days', () => {
    expect(calendar.isPublicHoliday(day('2025-04-17'))).toBeUndefined();
    expect(calendar.isWorkingDay(day('2025-04-17'))).toBe(true);
    expect(calendar.isWorkingDay(day('2025-04-22'))).toBe(true);
  });

  test('a year before the Gregorian calendar is refused', () => {
    expect(() => easterSunday(1500)).toThrow(RangeError);
  });
});

describe('public holidays', () => {
  test.each([
    ['2026-01-01', 'Jaunais gads', "New Year's Day"],
    ['2025-05-01', 'Darba svētki, Latvijas Republikas Satversmes sapulces sasaukšanas diena', 'Labour Day, Convocation of the Constituent Assembly of the Republic of Latvia'],
    ['2026-05-04', 'Latvijas Republikas Neatkarības atjaunošanas diena', 'Restoration of Independence of the Republic of Latvia'],
    ['2025-06-23', 'Līgo diena', 'Midsummer Eve (Līgo Day)'],
    ['2025-06-24', 'Jāņu diena', 'Midsummer Day (Jāņi)'],
    ['2025-11-18', 'Latvijas Republikas proklamēšanas diena', 'Proclamation Day of the Republic of Latvia'],
    ['2025-12-24', 'Ziemassvētku vakars', 'Christmas Eve'],
    ['2025-12-25', 'Pirmie Ziemassvētki', 'Christmas Day'],
    ['2025-12-26', 'Otrie Ziemassvētki', 'Second Day of Christmas'],
    ['2025-12-31', 'Vecgada diena', "New Year's Eve"],
    ['2025-05-11', 'Mātes diena', "Mother's Day"],
    ['2025-06-08', 'Vasarsvētki', 'Pentecost'],
    ['2023-07-09', 'Vispārējo latviešu Dziesmu un deju svētku noslēguma diena', 'Closing day of the General Latvian Song and Dance Festival'],
  ])('%s: %s', (iso, lv, en) => {
    const holiday = calendar.isPublicHoliday(day(iso));
    expect(holiday?.name).toEqual({ lv, en });
    expect(calendar.isWorkingDay(day(iso))).toBe(false);
    expect(calendar.effectiveWeekday(day(iso))).toBeUndefined();
  });

  test.each(['2025-01-02', '2025-06-25', '2025-11-17', '2025-12-23', '2025-12-27', '2025-12-29', '2025-12-30', '2024-07-09'])('%s is not a public holiday', (iso) => {
    expect(calendar.isPublicHoliday(day(iso))).toBeUndefined();
  });

  test('every public holiday of 2024, in order', () => {
    expect(calendar.holidaysIn(2024).map((h) => toIsoDate(h.date))).toEqual([
      '2024-01-01', '2024-03-29', '2024-03-31', '2024-04-01', '2024-05-01', '2024-05-04', '2024-05-06',
      '2024-05-12', '2024-05-19', '2024-06-23', '2024-06-24', '2024-11-18',
      '2024-12-24', '2024-12-25', '2024-12-26', '2024-12-31',
    ]);
  });

  test('two holidays on one date: both names', () => {
    // 2008: Easter 23 March, so Pentecost on 11 May, the second Sunday of May
    const h = calendar.isPublicHoliday(day('2008-05-11'))!;
    expect(h.entries.map((e) => e.id)).toEqual(['mothers_day', 'pentecost']);
    expect(h.name).toEqual({ lv: 'Mātes diena / Vasarsvētki', en: "Mother's Day / Pentecost" });
  });
});

describe('the weekend rule: only 4 May, 18 November and the festival closing day', () => {
  test.each([
    // [the holiday on a weekend, the day off]
    ['2024-05-04', '2024-05-06', 'restoration_of_independence'], // Saturday -> Monday (State Labour Inspectorate)
    ['2025-05-04', '2025-05-05', 'restoration_of_independence'], // Sunday -> Monday
    ['2023-11-18', '2023-11-20', 'proclamation_day'],            // Saturday -> Monday
    ['2028-11-18', '2028-11-20', 'proclamation_day'],
    ['2023-07-09', '2023-07-10', 'song_and_dance_festival_closing'], // festival closing day, Sunday -> Monday
  ])('%s on a weekend makes %s a day off', (holidayIso, offIso, id) => {
    expect(calendar.isPublicHoliday(day(holidayIso))?.entries[0]?.id).toBe(id);
    const off = calendar.isPublicHoliday(day(offIso))!;
    expect(off.entries).toHaveLength(1);
    expect(off.entries[0]).toMatchObject({ id, substituteFor: day(holidayIso) });
    expect(calendar.isWorkingDay(day(offIso))).toBe(false);
    expect(calendar.effectiveWeekday(day(offIso))).toBeUndefined();
  });

  test('the day off is named after the holiday', () => {
    expect(calendar.isPublicHoliday(day('2024-05-06'))?.name).toEqual({
      lv: 'Brīvdiena, jo Latvijas Republikas Neatkarības atjaunošanas diena iekrita nedēļas nogalē',
      en: 'Day off because Restoration of Independence of the Republic of Latvia fell on a weekend',
    });
  });

  test.each([
    ['2026-05-05', '4 May 2026 is a Monday itself'],
    ['2023-06-26', '24 June 2023 was a Saturday: no day off for Midsummer'],
    ['2022-01-03', '1 January 2022 was a Saturday: no day off'],
    ['2022-12-27', '25/26 December 2022 were Sunday/Monday: no day off'],
    ['2024-05-07', 'only one day off for 4 May 2024'],
  ])('%s is a working day (%s)', (iso) => {
    expect(calendar.isPublicHoliday(day(iso))).toBeUndefined();
    expect(calendar.isWorkingDay(day(iso))).toBe(true);
  });

  test('the day off skips a public holiday to the next working day', () => {
    // a synthetic festival closing day on Sunday 22 June 2025: Monday 23 and Tuesday 24 are holidays already
    const data = CalendarFile.parse(rawCalendar());
    data.festivalClosingDays.dates.push({ date: '2025-06-22', source: 'holidays_law' });
    const cal = new Calendar(data);
    expect(cal.isPublicHoliday(day('2025-06-25'))?.entries[0]).toMatchObject({ id: 'song_and_dance_festival_closing', substituteFor: day('2025-06-22') });
    expect(cal.isPublicHoliday(day('2025-06-23'))?.entries.map((e) => e.id)).toEqual(['ligo_day']);
  });
});

describe('working days moved to Saturdays (2024, Labour Law s.133(4))', () => {
  test.each([
    ['2024-12-14', true, 'mon'],     // Saturday worked instead of Monday 23 December
    ['2024-12-23', false, undefined], // Monday moved to 14 December
    ['2024-12-28', true, 'mon'],     // Saturday worked instead of Monday 30 December
    ['2024-12-30', false, undefined],
    ['2024-12-21', false, 'sat'],    // an ordinary Saturday: the schedule decides
    ['2024-12-20', true, 'fri'],
    ['2024-12-27', true, 'fri'],
  ] as const)('%s: working day %s, hours of %s', (iso, working, weekday) => {
    expect(calendar.isWorkingDay(day(iso))).toBe(working);
    expect(calendar.effectiveWeekday(day(iso))).toBe(weekday);
  });

  test('a moved working day is not a public holiday, and both dates know their transfer', () => {
    expect(calendar.isPublicHoliday(day('2024-12-23'))).toBeUndefined();
    expect(calendar.transferOn(day('2024-12-23'))).toMatchObject({ kind: 'closed', closed: day('2024-12-23'), workedOn: day('2024-12-14'), source: 'vdi' });
    expect(calendar.transferOn(day('2024-12-14'))).toMatchObject({ kind: 'worked', closed: day('2024-12-23'), workedOn: day('2024-12-14') });
    expect(calendar.transferOn(day('2024-12-16'))).toBeUndefined();
  });

  test('only the 2024 transfers the sources confirm are data (2025-2026 press reports are unconfirmed)', () => {
    expect(rawCalendar().transfers.days).toEqual([
      { closed: '2024-12-23', workedOn: '2024-12-14', source: 'vdi' },
      { closed: '2024-12-30', workedOn: '2024-12-28', source: 'vdi' },
    ]);
  });
});

describe('calendar.json', () => {
  test('every holiday, festival date, rule and transfer carries a known source', () => {
    const raw = rawCalendar();
    const entries = [
      ...raw.fixed, ...raw.moving, raw.festivalClosingDays, ...raw.festivalClosingDays.dates, raw.weekendRule, raw.transfers, ...raw.transfers.days,
    ];
    for (const e of entries) expect(Object.keys(raw.sources)).toContain(e.source);
  });

  test('every name exists in Latvian and English', () => {
    const raw = rawCalendar();
    const names = [...raw.fixed, ...raw.moving, raw.festivalClosingDays, raw.weekendRule, raw.transfers].map((e) => e.name);
    for (const n of names) {
      expect(n.lv.trim()).not.toBe('');
      expect(n.en.trim()).not.toBe('');
    }
  });

  test('the weekend rule names exactly the three holidays the law names', () => {
    expect(rawCalendar().weekendRule.appliesTo.sort()).toEqual(['proclamation_day', 'restoration_of_independence', 'song_and_dance_festival_closing']);
  });
});
