import { z } from 'zod';
import { Localized } from './schema';
import { DayIntervals, IsoDate } from './calendarSchema';

/**
 * Schema of knowledge/notices.json: dated notices staff publish without a release
 * (closures, changed hours, the post-2018 changes). Format and example: knowledge/README.md.
 */

/** Where a notice is shown: 'hours' with answers about reception hours, 'start' when a conversation starts. */
export const NoticeScope = z.enum(['hours', 'start']);
export type NoticeScope = z.infer<typeof NoticeScope>;

/** The hours of one schedule on one date, replacing the weekly hours and the calendar; [] closes the day. */
export const ScheduleOverride = z.object({
  scheduleId: z.string().min(1),
  date: IsoDate,
  intervals: DayIntervals,
}).strict();

export const Notice = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'id must be lower case letters, digits, "_" or "-"'),
  /** First and last day the notice is shown, both included (Riga time). */
  from: IsoDate,
  to: IsoDate,
  text: Localized,
  scope: z.array(NoticeScope).min(1),
  /** The schedules (and so the places) it concerns; hours answers about other schedules leave it out. Absent: all. */
  schedules: z.array(z.string().min(1)).min(1).optional(),
  scheduleOverride: ScheduleOverride.optional(),
  /** More overrides, when one notice changes several schedules (staff notices: "all of the Centre closed on 2 January"). */
  scheduleOverrides: z.array(ScheduleOverride).optional(),
}).strict().superRefine((n, ctx) => {
  if (n.from > n.to) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['to'], message: `must not be before "from" (${n.from})` });
  const o = n.scheduleOverride;
  if (o && (o.date < n.from || o.date > n.to)) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['scheduleOverride', 'date'], message: `must be within the notice's dates ${n.from}..${n.to}` });
  }
  (n.scheduleOverrides ?? []).forEach((x, i) => {
    if (x.date < n.from || x.date > n.to) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['scheduleOverrides', i, 'date'], message: `must be within the notice's dates ${n.from}..${n.to}` });
    }
  });
  if (new Set(n.scope).size !== n.scope.length) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['scope'], message: 'lists a scope twice' });
});

export const NoticesFile = z.object({ notices: z.array(Notice) }).strict().superRefine((file, ctx) => {
  const ids = new Set<string>();
  const overrides = new Set<string>();
  file.notices.forEach((n, i) => {
    if (ids.has(n.id)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['notices', i, 'id'], message: `duplicate id "${n.id}"` });
    ids.add(n.id);
    const own: Array<[ScheduleOverride, Array<string | number>]> = [
      ...(n.scheduleOverride ? [[n.scheduleOverride, ['notices', i, 'scheduleOverride']] as [ScheduleOverride, Array<string | number>]] : []),
      ...(n.scheduleOverrides ?? []).map((o, j) => [o, ['notices', i, 'scheduleOverrides', j]] as [ScheduleOverride, Array<string | number>]),
    ];
    for (const [o, path] of own) {
      const key = `${o.scheduleId} ${o.date}`;
      if (overrides.has(key)) ctx.addIssue({ code: z.ZodIssueCode.custom, path, message: `a second override of ${o.scheduleId} on ${o.date}` });
      overrides.add(key);
    }
  });
});

/** Every schedule override of a notice (the single one and the list). */
export function overridesOf(n: Notice): ScheduleOverride[] {
  return [...(n.scheduleOverride ? [n.scheduleOverride] : []), ...(n.scheduleOverrides ?? [])];
}

export type Notice = z.infer<typeof Notice>;
export type ScheduleOverride = z.infer<typeof ScheduleOverride>;
