import type { Schedule, Weekday } from './schema';

export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

export interface DayGroup { from: Weekday; to: Weekday; intervals: Array<[string, string]> }

/** Consecutive weekdays with the same intervals, so a week reads "Mon–Thu ..." rather than four lines. */
export function groupWeek(schedule: Schedule): DayGroup[] {
  const groups: DayGroup[] = [];
  for (const day of WEEKDAYS) {
    const intervals = schedule.week[day] ?? [];
    if (intervals.length === 0) continue;
    const last = groups[groups.length - 1];
    const adjacent = last && WEEKDAYS.indexOf(last.to) === WEEKDAYS.indexOf(day) - 1;
    if (last && adjacent && JSON.stringify(last.intervals) === JSON.stringify(intervals)) last.to = day;
    else groups.push({ from: day, to: day, intervals });
  }
  return groups;
}
