import { join } from 'node:path';
import { CalendarFile, type CalendarData } from './calendarSchema';
import { KnowledgeError, parseFile } from './files';
import { NoticesFile, type Notice } from './noticesSchema';
import { KnowledgeFiles, type Localized, type Weekday } from './schema';

// ---------------------------------------------------------------------------------------------
// Local dates: a day of the Riga calendar, with no time and no time zone.
// ---------------------------------------------------------------------------------------------

/** A calendar day: year, month 1-12, day 1-31. */
export interface LocalDate { y: number; m: number; d: number }

/** Indexed by Date.getUTCDay(): 0 is Sunday. */
const WEEKDAY_BY_JS_DAY: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01; plain day arithmetic with no time zone or summer time involved. */
function dayNumber(date: LocalDate): number {
  return Date.UTC(date.y, date.m - 1, date.d) / MS_PER_DAY;
}

function fromDayNumber(n: number): LocalDate {
  const t = new Date(n * MS_PER_DAY);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

/** A LocalDate, checked to exist (localDate(2024, 2, 30) throws). */
export function localDate(y: number, m: number, d: number): LocalDate {
  const date = { y, m, d };
  const back = fromDayNumber(dayNumber(date));
  if (![y, m, d].every(Number.isInteger) || back.y !== y || back.m !== m || back.d !== d) {
    throw new RangeError(`not a calendar date: ${y}-${m}-${d}`);
  }
  return date;
}

/** "2024-12-14" -> { y: 2024, m: 12, d: 14 }; throws on anything else. */
export function parseIsoDate(iso: string): LocalDate {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) throw new RangeError(`not a YYYY-MM-DD date: "${iso}"`);
  return localDate(Number(match[1]), Number(match[2]), Number(match[3]));
}

/** { y: 2024, m: 12, d: 14 } -> "2024-12-14" (the form the data files use; sorts as text). */
export function toIsoDate(date: LocalDate): string {
  return `${String(date.y).padStart(4, '0')}-${String(date.m).padStart(2, '0')}-${String(date.d).padStart(2, '0')}`;
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return fromDayNumber(dayNumber(date) + days);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return dayNumber(to) - dayNumber(from);
}

export function weekdayOf(date: LocalDate): Weekday {
  return WEEKDAY_BY_JS_DAY[new Date(dayNumber(date) * MS_PER_DAY).getUTCDay()]!;
}

export function isWeekend(date: LocalDate): boolean {
  const w = weekdayOf(date);
  return w === 'sat' || w === 'sun';
}

/** Western (Gregorian) Easter Sunday: the anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
export function easterSunday(year: number): LocalDate {
  if (!Number.isInteger(year) || year < 1583) throw new RangeError(`Gregorian Easter needs a year from 1583: ${year}`);
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return { y: year, m: month, d: day };
}

// ---------------------------------------------------------------------------------------------
// The calendar
// ---------------------------------------------------------------------------------------------

/** One public holiday on a date. */
export interface HolidayEntry {
  /** The holiday's id in calendar.json; a day off under the weekend rule has the id of the holiday it stands for. */
  id: string;
  name: Localized;
  /** A key of `sources` in calendar.json. */
  source: string;
  /** Set on a day off under the weekend rule: the date of the holiday that fell on a weekend. */
  substituteFor?: LocalDate;
}

/** A public holiday (law art. 1), or a day off under its weekend rule. */
export interface Holiday {
  /** The name to show; when two holidays share a date (Pentecost on Mother's Day), both, joined with " / ". */
  name: Localized;
  entries: HolidayEntry[];
}

/** A working day the Cabinet moved to a Saturday, seen from either of its two dates. */
export interface TransferInfo {
  /** 'closed': this weekday is a day off; 'worked': this Saturday is worked with the hours of `closed`'s weekday. */
  kind: 'closed' | 'worked';
  closed: LocalDate;
  workedOn: LocalDate;
  /** How the closed day is named where a holiday name would be ("Working day moved to a Saturday"). */
  name: Localized;
  source: string;
}

/** A consistency error in calendar data, with the field it is about (loadCalendar adds the file). */
export class CalendarDataError extends Error {
  constructor(readonly field: string, readonly detail: string) {
    super(`field "${field}" ${detail}`);
  }
}

function joinNames(names: Localized[]): Localized {
  return { lv: names.map((n) => n.lv).join(' / '), en: names.map((n) => n.en).join(' / ') };
}

/**
 * The Latvian calendar of public holidays and transferred working days, built from validated
 * calendar.json data. Rules (Easter, the weekend rule) are computed for any year from 1583;
 * dated data (festival closing days, transfers) is what staff entered.
 */
export class Calendar {
  private readonly baseCache = new Map<number, Map<string, HolidayEntry[]>>();
  private readonly yearCache = new Map<number, Map<string, Holiday>>();
  private readonly transfers = new Map<string, TransferInfo>();
  private readonly weekendRuleIds: ReadonlySet<string>;

  constructor(private readonly data: CalendarData) {
    this.weekendRuleIds = new Set(data.weekendRule.appliesTo);
    data.transfers.days.forEach((t, i) => {
      const closed = parseIsoDate(t.closed);
      const workedOn = parseIsoDate(t.workedOn);
      for (const [field, date] of [['closed', closed], ['workedOn', workedOn]] as const) {
        const holiday = this.isPublicHoliday(date);
        if (holiday) throw new CalendarDataError(`transfers.days.${i}.${field}`, `${toIsoDate(date)} is a public holiday (${holiday.name.en})`);
      }
      const info = { closed, workedOn, name: data.transfers.name, source: t.source };
      this.transfers.set(t.closed, { kind: 'closed', ...info });
      this.transfers.set(t.workedOn, { kind: 'worked', ...info });
    });
  }

  /** The public holiday on `date` (including a day off under the weekend rule), or undefined. */
  isPublicHoliday(date: LocalDate): Holiday | undefined {
    return this.holidayMap(date.y).get(toIsoDate(date));
  }

  /** Every public holiday of a year, in date order. */
  holidaysIn(year: number): Array<Holiday & { date: LocalDate }> {
    return [...this.holidayMap(year).entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([iso, h]) => ({ date: parseIsoDate(iso), ...h }));
  }

  /** The transfer `date` belongs to: a weekday made a day off, or the Saturday worked instead. */
  transferOn(date: LocalDate): TransferInfo | undefined {
    return this.transfers.get(toIsoDate(date));
  }

  /** Monday to Friday that is neither a public holiday nor moved away, or a Saturday worked instead of one. */
  isWorkingDay(date: LocalDate): boolean {
    if (this.isPublicHoliday(date)) return false;
    const transfer = this.transferOn(date);
    if (transfer) return transfer.kind === 'worked';
    return !isWeekend(date);
  }

  /**
   * The weekday whose weekly hours apply on `date`:
   * - undefined when the calendar closes the day (a public holiday, a working day moved to a Saturday);
   * - on a Saturday worked instead of a moved working day, the weekday of the day it replaces
   *   (2024-12-14 -> 'mon', as it replaces Monday 2024-12-23);
   * - otherwise the date's own weekday, weekends included: whether a Saturday is open is the schedule's business.
   */
  effectiveWeekday(date: LocalDate): Weekday | undefined {
    if (this.isPublicHoliday(date)) return undefined;
    const transfer = this.transferOn(date);
    if (transfer?.kind === 'closed') return undefined;
    if (transfer?.kind === 'worked') return weekdayOf(transfer.closed);
    return weekdayOf(date);
  }

  /** Fixed, moving and festival holidays of a year, without the weekend rule's days off. */
  private baseHolidays(year: number): Map<string, HolidayEntry[]> {
    const cached = this.baseCache.get(year);
    if (cached) return cached;
    const map = new Map<string, HolidayEntry[]>();
    const add = (date: LocalDate, entry: HolidayEntry) => {
      const iso = toIsoDate(date);
      map.set(iso, [...(map.get(iso) ?? []), entry]);
    };
    for (const h of this.data.fixed) add({ y: year, m: h.month, d: h.day }, { id: h.id, name: h.name, source: h.source });
    for (const h of this.data.moving) {
      const entry = { id: h.id, name: h.name, source: h.source };
      if (h.rule.kind === 'easter') add(addDays(easterSunday(year), h.rule.offset), entry);
      else add(nthWeekday(year, h.rule.month, h.rule.weekday, h.rule.n), entry);
    }
    const fest = this.data.festivalClosingDays;
    for (const f of fest.dates) {
      const date = parseIsoDate(f.date);
      if (date.y === year) add(date, { id: fest.id, name: fest.name, source: f.source });
    }
    this.baseCache.set(year, map);
    return map;
  }

  /**
   * The weekend rule (law art. 1): when 4 May, 18 November or the festival closing day falls on a
   * Saturday or Sunday, the next working day is a day off. "Next working day" is read as the next
   * Monday to Friday that is not itself a public holiday. Other holidays get no day off in lieu.
   */
  private daysOffFrom(year: number): Array<{ date: LocalDate; entry: HolidayEntry }> {
    const result: Array<{ date: LocalDate; entry: HolidayEntry }> = [];
    const taken = new Set<string>();
    const base = [...this.baseHolidays(year).entries()].sort(([a], [b]) => (a < b ? -1 : 1));
    for (const [iso, entries] of base) {
      const date = parseIsoDate(iso);
      if (!isWeekend(date)) continue;
      for (const e of entries) {
        if (!this.weekendRuleIds.has(e.id)) continue;
        let candidate = addDays(date, 1);
        while (isWeekend(candidate) || this.baseHolidays(candidate.y).has(toIsoDate(candidate)) || taken.has(toIsoDate(candidate))) {
          candidate = addDays(candidate, 1);
        }
        taken.add(toIsoDate(candidate));
        const name = this.data.weekendRule.name;
        result.push({
          date: candidate,
          entry: {
            id: e.id,
            name: { lv: name.lv.replace('{holiday}', e.name.lv), en: name.en.replace('{holiday}', e.name.en) },
            source: this.data.weekendRule.source,
            substituteFor: date,
          },
        });
      }
    }
    return result;
  }

  private holidayMap(year: number): Map<string, Holiday> {
    const cached = this.yearCache.get(year);
    if (cached) return cached;
    const entries = new Map<string, HolidayEntry[]>();
    for (const [iso, list] of this.baseHolidays(year)) entries.set(iso, [...list]);
    // a day off for a holiday late in December could land in January
    for (const { date, entry } of [...this.daysOffFrom(year - 1), ...this.daysOffFrom(year)]) {
      if (date.y !== year) continue;
      const iso = toIsoDate(date);
      entries.set(iso, [...(entries.get(iso) ?? []), entry]);
    }
    const map = new Map<string, Holiday>();
    for (const [iso, list] of entries) map.set(iso, { name: joinNames(list.map((e) => e.name)), entries: list });
    this.yearCache.set(year, map);
    return map;
  }
}

/** The n-th `weekday` of a month (n from 1). */
function nthWeekday(year: number, month: number, weekday: Weekday, n: number): LocalDate {
  const first = { y: year, m: month, d: 1 };
  const offset = (WEEKDAY_BY_JS_DAY.indexOf(weekday) - WEEKDAY_BY_JS_DAY.indexOf(weekdayOf(first)) + 7) % 7;
  return addDays(first, offset + 7 * (n - 1));
}

// ---------------------------------------------------------------------------------------------
// Loading (in the style of knowledge/loader.ts: a broken file names itself and the field)
// ---------------------------------------------------------------------------------------------

/** Reads and validates `dir`/calendar.json. */
export function loadCalendar(dir: string): Calendar {
  const data = parseFile(dir, 'calendar.json', CalendarFile);
  try {
    return new Calendar(data);
  } catch (err) {
    if (err instanceof CalendarDataError) throw new KnowledgeError(`${join(dir, 'calendar.json')}: ${err.message}`);
    throw err;
  }
}

/** Reads and validates `dir`/notices.json; a schedule override must name a schedule of `dir`/hours.json. */
export function loadNotices(dir: string): Notice[] {
  const { notices } = parseFile(dir, 'notices.json', NoticesFile);
  const { schedules } = parseFile(dir, 'hours.json', KnowledgeFiles['hours.json']);
  const scheduleIds = new Set(schedules.map((s) => s.id));
  notices.forEach((n, i) => {
    if (n.scheduleOverride && !scheduleIds.has(n.scheduleOverride.scheduleId)) {
      throw new KnowledgeError(`${join(dir, 'notices.json')}: field "notices.${i}.scheduleOverride.scheduleId" names an unknown schedule "${n.scheduleOverride.scheduleId}"`);
    }
    (n.schedules ?? []).forEach((id, j) => {
      if (!scheduleIds.has(id)) throw new KnowledgeError(`${join(dir, 'notices.json')}: field "notices.${i}.schedules.${j}" names an unknown schedule "${id}"`);
    });
    (n.scheduleOverrides ?? []).forEach((o, j) => {
      if (!scheduleIds.has(o.scheduleId)) throw new KnowledgeError(`${join(dir, 'notices.json')}: field "notices.${i}.scheduleOverrides.${j}.scheduleId" names an unknown schedule "${o.scheduleId}"`);
    });
  });
  return notices;
}
