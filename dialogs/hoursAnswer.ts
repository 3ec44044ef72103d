import type { Answer } from '../bot/answer';
import { type LocalDate, toIsoDate, addDays } from '../knowledge/calendarRules';
import type { Knowledge } from '../knowledge/loader';
import { activeNotices, dayHours, localNow, nextOpening, openAt, resolveDay, type DayHours } from '../knowledge/opening';
import type { Schedule } from '../knowledge/schema';
import { groupWeek, WEEKDAYS } from '../knowledge/week';
import type { Translate } from '../locales/i18n';
import type { Entities } from '../nlu/entities';
import type { Lang } from '../nlu/languagePack';

export type Clock = () => Date;

/** The next such day, today included ("24 December" asked on 26 November is this year's). */
function nextDate(today: LocalDate, { month, day }: { month: number; day: number }): LocalDate {
  const thisYear = { y: today.y, m: month, d: day };
  const passed = month < today.m || (month === today.m && day < today.d);
  return passed ? { ...thisYear, y: today.y + 1 } : thisYear;
}

const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * Reception hours that know what day it is, in Riga time: "are you open now?", "on Tuesday at
 * 17:00?", "tomorrow?", "when can I come next?", for the place asked about.
 */
export class HoursAnswers {
  constructor(private readonly knowledge: Knowledge, private readonly clock: Clock) {}

  time(hhmm: string, lang: Lang): string {
    const [h, m] = hhmm.split(':') as [string, string];
    return lang === 'lv' ? `${Number(h)}.${m}` : hhmm;
  }

  minutesText(minutes: number, lang: Lang): string {
    const h = Math.floor(minutes / 60);
    const m = String(minutes % 60).padStart(2, '0');
    return lang === 'lv' ? `${h}.${m}` : `${String(h).padStart(2, '0')}:${m}`;
  }

  intervals(list: ReadonlyArray<readonly [string, string]>, lang: Lang, t: Translate): string {
    return list.map(([a, b]) => t('hours.interval', { from: this.time(a, lang), to: this.time(b, lang) })).join(', ');
  }

  /** "otrdien, 1.12." / "Tuesday 1 December", or "today"/"tomorrow" when it is. */
  dayName(date: LocalDate, t: Translate): string {
    const today = localNow(this.clock()).date;
    const iso = toIsoDate(date);
    if (iso === toIsoDate(today)) return t('hours.today');
    if (iso === toIsoDate(addDays(today, 1))) return t('hours.tomorrow');
    const weekday = new Date(Date.UTC(date.y, date.m - 1, date.d)).getUTCDay();
    const key = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][weekday]!;
    return t('hours.onDay', { day: t(`hours.on.${key}`), d: date.d, m: date.m, month: t(`hours.months.${date.m}`) });
  }

  private closedText(day: DayHours, lang: Lang, t: Translate): string {
    if (day.closedReason === 'holiday' && day.holiday) return t('hours.closedHoliday', { holiday: day.holiday[lang] });
    if (day.closedReason === 'notice' && day.notice) return t('hours.closedNotice', { notice: day.notice.text[lang] });
    return '';
  }

  /** "Next reception: Monday 30 November, 09:00–11:00." — or, `short`, without the label (for a fact). */
  nextText(schedule: Schedule, lang: Lang, t: Translate, short = false): string {
    const next = nextOpening(schedule, this.knowledge.calendar, this.knowledge.notices, this.clock(), 60);
    if (!next) return t('hours.noNext');
    if (next.openNow) return t(short ? 'hours.openNowShort' : 'hours.openNowUntil', { to: this.time(next.to, lang) });
    return t(short ? 'hours.nextShort' : 'hours.nextAt', { day: this.dayName(next.date, t), from: this.time(next.from, lang), to: this.time(next.to, lang) });
  }

  /** The first opening after a (closed) day the user asked about. */
  private nextAfter(schedule: Schedule, date: LocalDate, lang: Lang, t: Translate): string {
    for (let i = 1; i <= 60; i++) {
      const day = dayHours(schedule, this.knowledge.calendar, this.knowledge.notices, addDays(date, i));
      const [first] = day.intervals;
      if (first) return t('hours.nextAt', { day: this.dayName(day.date, t), from: this.time(first[0], lang), to: this.time(first[1], lang) });
    }
    return t('hours.noNext');
  }

  /** One sentence about one schedule for the question asked; undefined when it asks about no particular time. */
  status(schedule: Schedule, entities: Entities, lang: Lang, t: Translate): string | undefined {
    const text = this.statusText(schedule, entities, lang, t);
    return text === undefined ? undefined : sentence(text);
  }

  private statusText(schedule: Schedule, entities: Entities, lang: Lang, t: Translate): string | undefined {
    const { calendar, notices } = this.knowledge;
    const now = this.clock();
    const asksDay = entities.date !== undefined || entities.weekday !== undefined || (entities.relativeDay !== undefined && entities.relativeDay !== 'now');
    if (entities.asksNext && !asksDay) return this.nextText(schedule, lang, t);
    if (entities.relativeDay === 'now' || (!asksDay && entities.time === undefined && entities.relativeDay !== undefined)) {
      const here = localNow(now);
      const at = openAt(schedule, calendar, notices, here.date, here.minutes);
      if (at.open) return t('hours.openNowUntil', { to: this.time(at.interval![1], lang) });
      const day = dayHours(schedule, calendar, notices, here.date);
      return [t('hours.closedNow'), day.open ? '' : this.closedText(day, lang, t), sentence(this.nextText(schedule, lang, t))].filter(Boolean).join(' ');
    }
    // "is there a lunch break?": the week's breaks, from the gaps in its hours
    if (!asksDay && entities.time === undefined && entities.asksBreak) return this.weekBreaks(schedule, entities, lang, t);
    if (!asksDay && entities.time === undefined) return undefined;
    const date = entities.date
      ? nextDate(localNow(now).date, entities.date)
      : resolveDay(now, entities.weekday ? { weekday: entities.weekday } : entities.relativeDay ? { relativeDay: entities.relativeDay } : {});
    const day = dayHours(schedule, calendar, notices, date);
    const name = this.dayName(date, t);
    if (!day.open) {
      const today = toIsoDate(localNow(now).date) === toIsoDate(date);
      const next = today ? this.nextText(schedule, lang, t) : this.nextAfter(schedule, date, lang, t);
      return [sentence(t('hours.dayClosed', { day: name })), this.closedText(day, lang, t), sentence(next)].filter(Boolean).join(' ');
    }
    const hours = this.intervals(day.intervals, lang, t);
    if (entities.time === undefined && entities.asksBreak) {
      // "vai otrdien ir pārtraukums?": the gap between the day's intervals, or that there is none
      const gaps = this.gaps(day.intervals, lang, t);
      return this.yesNoBreak(gaps !== '', entities, gaps ? t('hours.dayBreak', { day: name, breaks: gaps, hours }) : t('hours.dayNoBreak', { day: name, hours }), t);
    }
    if (entities.time === undefined) return t('hours.dayOpen', { day: name, hours });
    const at = openAt(schedule, calendar, notices, date, entities.time - (entities.until ? 1 : 0));
    const time = this.minutesText(entities.time, lang);
    // "is it closed at 13:30?", "is there a break at 13:00?": yes is closed
    if (entities.asksClosed) return at.open ? t('hours.atOpenNotClosed', { day: name, time, hours }) : t('hours.atClosedYes', { day: name, time, hours });
    return at.open ? t('hours.atOpen', { day: name, time, hours }) : t('hours.atClosed', { day: name, time, hours });
  }

  /** The gaps between a day's reception intervals ("11.00–13.00"), or '' when it has one interval. */
  private gaps(list: ReadonlyArray<readonly [string, string]>, lang: Lang, t: Translate): string {
    const gaps: Array<[string, string]> = [];
    for (let i = 1; i < list.length; i++) if (list[i - 1]![1] < list[i]![0]) gaps.push([list[i - 1]![1], list[i]![0]]);
    return this.intervals(gaps, lang, t);
  }

  /** The week's breaks, days with the same break together ("Monday, Wednesday, Friday 11:00–13:00"). */
  private weekBreaks(schedule: Schedule, entities: Entities, lang: Lang, t: Translate): string {
    const byGap = new Map<string, string[]>();
    for (const day of WEEKDAYS) {
      const gaps = this.gaps(schedule.week[day] ?? [], lang, t);
      if (gaps) byGap.set(gaps, [...(byGap.get(gaps) ?? []), t(`hours.weekdays.${day}`)]);
    }
    if (byGap.size === 0) return this.yesNoBreak(false, entities, t('hours.noBreaks'), t);
    // after a colon Latvian goes on in lowercase
    const list = [...byGap].map(([gaps, days]) => `${days.map((d) => (lang === 'lv' ? d.toLowerCase() : d)).join(', ')} ${gaps}`);
    return this.yesNoBreak(true, entities, t('hours.weekBreaks', { breaks: list.join('; ') }), t);
  }

  /** "Jā, …"/"Nē, …" before a sentence about breaks: yes when there is one, or when there is none and it asked "without a break?". */
  private yesNoBreak(hasBreak: boolean, entities: Entities, text: string, t: Translate): string {
    return `${t(hasBreak !== (entities.withoutBreak === true) ? 'yes' : 'no')}, ${text}`;
  }

  /** A schedule's week, consecutive days with the same hours together ("Pirmdiena–ceturtdiena 8.00–12.00"). */
  weekFacts(schedule: Schedule, lang: Lang, t: Translate): Array<{ title: string; value: string }> {
    return groupWeek(schedule).map((g) => ({
      // "Pirmdiena–ceturtdiena" in Latvian, "Monday–Thursday" in English
      title: g.from === g.to ? t(`hours.weekdays.${g.from}`) : `${t(`hours.weekdays.${g.from}`)}–${lang === 'lv' ? t(`hours.weekdays.${g.to}`).toLowerCase() : t(`hours.weekdays.${g.to}`)}`,
      value: this.intervals(g.intervals, lang, t),
    }));
  }

  /**
   * Staff notices valid today for a scope ('start': shown when a conversation starts); with
   * `scheduleIds`, only those that concern one of them (or name no schedule).
   */
  notices(scope: 'hours' | 'start', lang: Lang, scheduleIds?: readonly string[]): string[] {
    return activeNotices(this.knowledge.notices, localNow(this.clock()).date, scope)
      .filter((n) => !scheduleIds || !n.schedules || n.schedules.some((id) => scheduleIds.includes(id)))
      .map((n) => n.text[lang]);
  }

  /** Open or closed at the time the message asks about; undefined when it asks about no particular time. */
  openFor(schedule: Schedule, entities: Entities): boolean | undefined {
    const { calendar, notices } = this.knowledge;
    const now = this.clock();
    const asksDay = entities.date !== undefined || entities.weekday !== undefined || (entities.relativeDay !== undefined && entities.relativeDay !== 'now');
    if (entities.asksNext && !asksDay) return undefined;
    if (entities.relativeDay === 'now' || (!asksDay && entities.time === undefined && entities.relativeDay !== undefined)) {
      const here = localNow(now);
      return openAt(schedule, calendar, notices, here.date, here.minutes).open;
    }
    if (!asksDay && entities.time === undefined) return undefined;
    const date = entities.date
      ? nextDate(localNow(now).date, entities.date)
      : resolveDay(now, entities.weekday ? { weekday: entities.weekday } : entities.relativeDay ? { relativeDay: entities.relativeDay } : {});
    if (entities.time !== undefined) return openAt(schedule, calendar, notices, date, entities.time - (entities.until ? 1 : 0)).open;
    return dayHours(schedule, calendar, notices, date).open;
  }

  /** What "yes" means for the question: open, or closed when it asks whether it is closed; a break's own sentence says it itself. */
  private says(open: boolean | undefined, entities: Entities): boolean | undefined {
    if (open === undefined || (entities.asksBreak && entities.time === undefined)) return undefined;
    return entities.asksClosed ? !open : open;
  }

  /** "Jā, " / "Nē, " before a status sentence that does not say it already. */
  private yesNo(status: string, open: boolean | undefined, t: Translate): string {
    if (open === undefined || /^(jā|nē|yes|no)(?!\p{L})/iu.test(status)) return status;
    // English keeps its capitalised day and month names ("No, Sunday 6 December: closed")
    const keep = /^(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|August|September|October|November|December)\b/.test(status);
    return `${t(open ? 'yes' : 'no')}, ${keep ? status : status.charAt(0).toLowerCase() + status.slice(1)}`;
  }

  /** The reception-hours answer: a status sentence for the time asked about, then the week. */
  answer(entities: Entities, lang: Lang, t: Translate, yesNo = false): Answer {
    const weekFacts = (s: Schedule) => this.weekFacts(s, lang, t);
    const archiveIds = ['archive_department', 'centre_archive_reception'];
    // a notice about the Archive department is not news for the certificate reception, and the other way round
    const notices = this.notices('hours', lang, entities.place === 'archive' ? archiveIds : ['certificate_reception']);
    if (entities.place === 'archive') {
      const schedules = archiveIds.map((id) => this.knowledge.schedule(id));
      const week = (s: Schedule) => weekFacts(s).map((f) => `${f.title} ${f.value}`).join('; ');
      const where = (s: Schedule) => `${s.title[lang]} (${this.knowledge.place(s.placeId).address})`;
      const statuses = schedules.map((s) => ({ s, status: this.status(s, entities, lang, t), open: this.openFor(s, entities) }));
      if (statuses.every((x) => x.status === undefined)) {
        return { text: t('hours.archiveLead'), items: schedules.map((s) => `${where(s)}: ${week(s)}`), ...(notices.length ? { note: notices.join(' ') } : {}) };
      }
      // asked about a day or a time: the answer for it first, for the Archive department, then the Centre
      const [dept] = statuses as [(typeof statuses)[number]];
      // after a colon Latvian goes on in lowercase; English keeps its capitalised day names
      const status = dept.status ?? '';
      // a status that says yes or no itself ("Yes, Monday at 14:00 we are open") says it once, before the place
      const said = /^(jā|nē|yes|no),\s*/iu.exec(status);
      const bare = said ? status.slice(said[0].length) : status;
      const lead = `${t('hours.archiveDepartment')}: ${lang === 'lv' ? bare.charAt(0).toLowerCase() + bare.slice(1) : bare}`;
      const says = this.says(dept.open, entities);
      const answer = said ? said[1] : yesNo && says !== undefined ? t(says ? 'yes' : 'no') : undefined;
      const text = answer ? `${answer}, ${lead.charAt(0).toLowerCase()}${lead.slice(1)}` : lead;
      return { text, items: schedules.map((s) => `${where(s)}: ${week(s)}`), ...(notices.length ? { note: notices.join(' ') } : {}) };
    }
    const schedule = this.knowledge.schedule('certificate_reception');
    const centre = this.knowledge.place('centre');
    const asked = this.status(schedule, entities, lang, t);
    const status = asked && yesNo ? this.yesNo(asked, this.says(this.openFor(schedule, entities), entities), t) : asked;
    const lead = t('hours.lead', { address: centre.address });
    // asked for the hours in general: the week first, and where things stand now at the end
    const now = status ? [] : [this.status(schedule, { contactKinds: [], relativeDay: 'now' }, lang, t)!];
    return {
      text: status ? `${status}\n\n${lead}` : lead,
      facts: weekFacts(schedule),
      note: [...notices, ...now, t('hours.otherDays'), t('hours.archiveHint')].join(' '),
    };
  }
}
