import { addDays, type Calendar, isWeekend, type LocalDate, toIsoDate, type TransferInfo, weekdayOf } from './calendarRules';
import type { Interval } from './calendarSchema';
import { overridesOf, type Notice, type NoticeScope, type ScheduleOverride } from './noticesSchema';
import type { Localized, Schedule, Weekday } from './schema';

/**
 * Opening hours in Riga time. Every function is pure: the current instant is a `now: Date`
 * parameter, never read from the system clock, and the Riga calendar day and wall-clock time
 * come from Intl (IANA "Europe/Riga", with summer time), not from the process time zone.
 */

export const TIME_ZONE = 'Europe/Riga';

const RIGA_PARTS = new Intl.DateTimeFormat('en-US', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

export interface LocalNow {
  /** The day of the Riga calendar. */
  date: LocalDate;
  weekday: Weekday;
  /** Minutes since local midnight on the Riga wall clock, 0-1439. */
  minutes: number;
}

/** The Riga calendar day and wall-clock time of an instant. */
export function localNow(now: Date): LocalNow {
  if (Number.isNaN(now.getTime())) throw new RangeError('localNow: invalid Date');
  const parts: Record<string, number> = {};
  for (const p of RIGA_PARTS.formatToParts(now)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const date = { y: parts.year!, m: parts.month!, d: parts.day! };
  // some ICU versions write midnight as 24 even with h23
  const hour = parts.hour! % 24;
  return { date, weekday: weekdayOf(date), minutes: hour * 60 + parts.minute! };
}

/** "09:30" -> 570 */
export function timeToMinutes(time: string): number {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time);
  if (!match) throw new RangeError(`not a HH:MM time: "${time}"`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/** Why a schedule is closed on a whole day. */
export type DayClosedReason = 'holiday' | 'weekend' | 'notice' | 'not_this_day';
/** Why a schedule is closed at a moment: the day's reasons, or the time of day. */
export type ClosedReason = DayClosedReason | 'break' | 'before' | 'after';

export interface DayHours {
  date: LocalDate;
  /** The date's own weekday. */
  weekday: Weekday;
  /** True when the schedule opens at some time that day. */
  open: boolean;
  /** The day's reception intervals, in order; [] when closed. */
  intervals: Interval[];
  /**
   * The weekday whose weekly hours apply: on a Saturday worked instead of a moved working day,
   * the weekday it replaces. Absent when the day is closed or a notice set the hours.
   */
  hoursOf?: Weekday;
  closedReason?: DayClosedReason;
  /** With closedReason 'holiday': the holiday's name, or the transfer's name on a moved working day. */
  holiday?: Localized;
  /** The transfer this date belongs to (a moved working day, or the Saturday worked instead). */
  transfer?: TransferInfo;
  /** The notice whose schedule override set this day's hours. */
  notice?: Notice;
}

/** The first notice (in list order) that overrides this schedule on this date, and its override. */
function overrideFor(schedule: Schedule, notices: readonly Notice[], date: LocalDate): { notice: Notice; override: ScheduleOverride } | undefined {
  const iso = toIsoDate(date);
  for (const notice of notices) {
    const override = overridesOf(notice).find((o) => o.scheduleId === schedule.id && o.date === iso);
    if (override) return { notice, override };
  }
  return undefined;
}

function sortedIntervals(intervals: ReadonlyArray<readonly [string, string]>): Interval[] {
  return intervals.map(([a, b]) => [a, b] as Interval).sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
}

/**
 * The hours of a schedule on a day. Precedence: a staff notice's override for this schedule and
 * date; then a public holiday (also on a weekend: "closed: Easter Sunday"); then a working day
 * moved to a Saturday; then the weekly hours of the effective weekday (see Calendar.effectiveWeekday).
 */
export function dayHours(schedule: Schedule, calendar: Calendar, notices: readonly Notice[], date: LocalDate): DayHours {
  const weekday = weekdayOf(date);
  const transfer = calendar.transferOn(date);
  const base = { date, weekday, ...(transfer ? { transfer } : {}) };
  const found = overrideFor(schedule, notices, date);
  if (found) {
    const { notice } = found;
    const intervals = sortedIntervals(found.override.intervals);
    return intervals.length > 0
      ? { ...base, open: true, intervals, notice }
      : { ...base, open: false, intervals: [], closedReason: 'notice', notice };
  }
  const holiday = calendar.isPublicHoliday(date);
  if (holiday) return { ...base, open: false, intervals: [], closedReason: 'holiday', holiday: holiday.name };
  if (transfer?.kind === 'closed') return { ...base, open: false, intervals: [], closedReason: 'holiday', holiday: transfer.name };
  const hoursOf = calendar.effectiveWeekday(date)!;
  const intervals = sortedIntervals(schedule.week[hoursOf] ?? []);
  if (intervals.length === 0) {
    const closedReason: DayClosedReason = isWeekend(date) && transfer?.kind !== 'worked' ? 'weekend' : 'not_this_day';
    return { ...base, open: false, intervals: [], closedReason };
  }
  return { ...base, open: true, intervals, hoursOf };
}

export interface OpenAt {
  open: boolean;
  /** When open: the interval now running. Intervals are [from, to): open at "09:00", closed at "11:00". */
  interval?: Interval;
  closedReason?: ClosedReason;
  /** With closedReason 'holiday': the holiday's name (or the name of a moved working day). */
  holiday?: Localized;
  /** With closedReason 'before' or 'break': the interval that opens next that day. */
  next?: Interval;
  /** The notice whose override set the day's hours. */
  notice?: Notice;
  transfer?: TransferInfo;
}

/** Whether a schedule is open on a Riga date at a Riga wall-clock time (minutes since midnight). */
export function openAt(schedule: Schedule, calendar: Calendar, notices: readonly Notice[], date: LocalDate, minutes: number): OpenAt {
  if (!Number.isInteger(minutes) || minutes < 0 || minutes >= 24 * 60) throw new RangeError(`openAt: minutes must be 0-1439, got ${minutes}`);
  const day = dayHours(schedule, calendar, notices, date);
  const extra = { ...(day.notice ? { notice: day.notice } : {}), ...(day.transfer ? { transfer: day.transfer } : {}) };
  if (!day.open) return { open: false, closedReason: day.closedReason!, ...(day.holiday ? { holiday: day.holiday } : {}), ...extra };
  for (const interval of day.intervals) {
    if (minutes < timeToMinutes(interval[0])) {
      return { open: false, closedReason: interval === day.intervals[0] ? 'before' : 'break', next: interval, ...extra };
    }
    if (minutes < timeToMinutes(interval[1])) return { open: true, interval, ...extra };
  }
  return { open: false, closedReason: 'after', ...extra };
}

export interface NextOpening {
  date: LocalDate;
  /** Start of the interval ("09:00"); when open now, the start of the interval now running. */
  from: string;
  /** End of the interval ("11:00"): "open now until 11:00". */
  to: string;
  /** The date's own weekday ("next: Saturday 09:00" on a worked Saturday). */
  weekday: Weekday;
  /** Calendar days from today in Riga: 0 today, 1 tomorrow. */
  daysAhead: number;
  openNow: boolean;
  /** When the hours are those of another weekday (a worked Saturday): that weekday. */
  hoursOf?: Weekday;
  /** The notice whose override set that day's hours. */
  notice?: Notice;
}

/**
 * The next time a schedule is open, now or later, looking `horizonDays` ahead (a year by default);
 * undefined when it never opens within that time.
 */
export function nextOpening(schedule: Schedule, calendar: Calendar, notices: readonly Notice[], now: Date, horizonDays = 366): NextOpening | undefined {
  const here = localNow(now);
  for (let daysAhead = 0; daysAhead <= horizonDays; daysAhead++) {
    const day = dayHours(schedule, calendar, notices, addDays(here.date, daysAhead));
    for (const [from, to] of day.intervals) {
      if (daysAhead === 0 && here.minutes >= timeToMinutes(to)) continue;
      const openNow = daysAhead === 0 && here.minutes >= timeToMinutes(from);
      return {
        date: day.date, from, to, weekday: day.weekday, daysAhead, openNow,
        ...(day.hoursOf && day.hoursOf !== day.weekday ? { hoursOf: day.hoursOf } : {}),
        ...(day.notice ? { notice: day.notice } : {}),
      };
    }
  }
  return undefined;
}

/** Notices to show on a Riga date for a scope: `from` <= date <= `to`, in file order. */
export function activeNotices(notices: readonly Notice[], date: LocalDate, scope: NoticeScope): Notice[] {
  const iso = toIsoDate(date);
  return notices.filter((n) => n.from <= iso && iso <= n.to && n.scope.includes(scope));
}

export type RelativeDay = 'today' | 'tomorrow' | 'day_after_tomorrow' | 'now';
const RELATIVE_OFFSET: Record<RelativeDay, number> = { now: 0, today: 0, tomorrow: 1, day_after_tomorrow: 2 };
const WEEKDAY_INDEX: Record<Weekday, number> = { mon: 0, tue: 1, wed: 2, thu: 3, fri: 4, sat: 5, sun: 6 };

/**
 * The Riga date a question is about: a relative day counts from today in Riga; a weekday is the
 * next such day, today included ("on Monday" asked on a Monday is today). With both, the
 * relative day wins; with neither, today.
 */
export function resolveDay(now: Date, query: { weekday?: Weekday; relativeDay?: RelativeDay }): LocalDate {
  const here = localNow(now);
  if (query.relativeDay) return addDays(here.date, RELATIVE_OFFSET[query.relativeDay]);
  if (query.weekday) return addDays(here.date, (WEEKDAY_INDEX[query.weekday] - WEEKDAY_INDEX[here.weekday] + 7) % 7);
  return here.date;
}
