import { z } from 'zod';
import { Localized, Weekday } from './schema';

/**
 * Schema of knowledge/calendar.json: Latvian public holidays (law "Par svētku, atceres un
 * atzīmējamām dienām", art. 1), the weekend rule, Song and Dance Festival closing days and the
 * working days the Cabinet moves to Saturdays (Labour Law s.133(4)).
 * Dated entries are data that staff update; rules are computed by knowledge/calendar.ts.
 */

/** A calendar date "YYYY-MM-DD" that exists (2024-02-30 is rejected). */
export const IsoDate = z.string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'date must be YYYY-MM-DD')
  .refine((s) => {
    const [y, m, d] = s.split('-').map(Number) as [number, number, number];
    const t = new Date(Date.UTC(y, m - 1, d));
    return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
  }, 'not a real calendar date');

export const Time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'time must be HH:MM');
export const Interval = z.tuple([Time, Time]).refine(([a, b]) => a < b, 'an interval must end after it starts');
export type Interval = [string, string];

/** Intervals of one day, in order and not overlapping; [] is a closed day. */
export const DayIntervals = z.array(Interval).superRefine((intervals, ctx) => {
  for (let i = 1; i < intervals.length; i++) {
    if (intervals[i]![0] < intervals[i - 1]![1]) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: [i], message: 'intervals must be in order and must not overlap' });
    }
  }
});

const Id = z.string().regex(/^[a-z][a-z0-9_]*$/, 'id must be lower_snake_case');
/** The key of an entry of `sources`. */
const SourceRef = z.string().min(1);

export const CalendarSource = z.object({
  title: z.string().min(3),
  url: z.string().url().optional(),
}).strict();

export const FixedHoliday = z.object({
  id: Id,
  month: z.number().int().min(1).max(12),
  day: z.number().int().min(1).max(31),
  name: Localized,
  source: SourceRef,
}).strict().refine((h) => h.day <= new Date(Date.UTC(2001, h.month, 0)).getUTCDate(), { message: 'no such day in this month', path: ['day'] });

/** Western (Gregorian) Easter Sunday plus `offset` days: Good Friday -2, Easter Monday +1, Pentecost +49. */
const EasterRule = z.object({ kind: z.literal('easter'), offset: z.number().int().min(-60).max(60) }).strict();
/** The n-th given weekday of a month: Mother's Day is the 2nd Sunday of May. */
const NthWeekdayRule = z.object({
  kind: z.literal('nth_weekday'),
  month: z.number().int().min(1).max(12),
  weekday: Weekday,
  n: z.number().int().min(1).max(4),
}).strict();

export const MovingHoliday = z.object({
  id: Id,
  rule: z.discriminatedUnion('kind', [EasterRule, NthWeekdayRule]),
  name: Localized,
  source: SourceRef,
}).strict();

/** Closing days of the General Latvian Song and Dance Festival: the law names the day, staff set the date. */
export const FestivalClosingDays = z.object({
  id: Id,
  name: Localized,
  source: SourceRef,
  dates: z.array(z.object({ date: IsoDate, source: SourceRef }).strict()),
}).strict();

/** "If it falls on a Saturday or Sunday, the next working day is a day off" — only for the holidays named. */
export const WeekendRule = z.object({
  appliesTo: z.array(Id).min(1),
  /** The name of the day off; "{holiday}" is replaced by the holiday's name. */
  name: Localized.refine((l) => l.lv.includes('{holiday}') && l.en.includes('{holiday}'), 'name must contain {holiday} in both languages'),
  source: SourceRef,
}).strict();

/** A working day moved to a Saturday: `closed` is a day off, `workedOn` is worked with the hours of `closed`'s weekday. */
export const Transfer = z.object({
  closed: IsoDate,
  workedOn: IsoDate,
  source: SourceRef,
}).strict();

export const CalendarFile = z.object({
  sources: z.record(Id, CalendarSource),
  fixed: z.array(FixedHoliday),
  moving: z.array(MovingHoliday),
  festivalClosingDays: FestivalClosingDays,
  weekendRule: WeekendRule,
  transfers: z.object({
    /** How a day off made by a transfer is named where a holiday name would be. */
    name: Localized,
    source: SourceRef,
    days: z.array(Transfer),
  }).strict(),
}).strict().superRefine((cal, ctx) => {
  const issue = (path: Array<string | number>, message: string) => ctx.addIssue({ code: z.ZodIssueCode.custom, path, message });
  const known = (ref: string, path: Array<string | number>) => {
    if (!Object.prototype.hasOwnProperty.call(cal.sources, ref)) issue(path, `names an unknown source "${ref}"`);
  };
  const ids = new Set<string>();
  const unique = (id: string, path: Array<string | number>) => {
    if (ids.has(id)) issue(path, `duplicate id "${id}"`);
    ids.add(id);
  };
  cal.fixed.forEach((h, i) => { known(h.source, ['fixed', i, 'source']); unique(h.id, ['fixed', i, 'id']); });
  cal.moving.forEach((h, i) => { known(h.source, ['moving', i, 'source']); unique(h.id, ['moving', i, 'id']); });
  const fest = cal.festivalClosingDays;
  known(fest.source, ['festivalClosingDays', 'source']);
  unique(fest.id, ['festivalClosingDays', 'id']);
  const festDates = new Set<string>();
  fest.dates.forEach((d, i) => {
    known(d.source, ['festivalClosingDays', 'dates', i, 'source']);
    if (festDates.has(d.date)) issue(['festivalClosingDays', 'dates', i, 'date'], `duplicate date ${d.date}`);
    festDates.add(d.date);
  });
  known(cal.weekendRule.source, ['weekendRule', 'source']);
  cal.weekendRule.appliesTo.forEach((id, i) => {
    if (!ids.has(id)) issue(['weekendRule', 'appliesTo', i], `names an unknown holiday "${id}"`);
  });
  known(cal.transfers.source, ['transfers', 'source']);
  const seen = new Set<string>();
  cal.transfers.days.forEach((t, i) => {
    known(t.source, ['transfers', 'days', i, 'source']);
    const closedDay = new Date(`${t.closed}T00:00:00Z`).getUTCDay();
    const workedDay = new Date(`${t.workedOn}T00:00:00Z`).getUTCDay();
    if (closedDay === 0 || closedDay === 6) issue(['transfers', 'days', i, 'closed'], 'a transferred working day must be a Monday to Friday');
    if (workedDay !== 6) issue(['transfers', 'days', i, 'workedOn'], 'working days are moved to a Saturday (Labour Law s.133(4))');
    for (const [field, date] of [['closed', t.closed], ['workedOn', t.workedOn]] as const) {
      if (seen.has(date)) issue(['transfers', 'days', i, field], `date ${date} is already in another transfer`);
      seen.add(date);
    }
  });
});

export type CalendarSource = z.infer<typeof CalendarSource>;
export type FixedHoliday = z.infer<typeof FixedHoliday>;
export type MovingHoliday = z.infer<typeof MovingHoliday>;
export type Transfer = z.infer<typeof Transfer>;
export type CalendarData = z.infer<typeof CalendarFile>;
