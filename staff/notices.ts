import { randomBytes } from 'node:crypto';
import { Notice, type NoticeScope, type ScheduleOverride } from '../knowledge/noticesSchema';
import type { StaffKv } from './kv';

/** One change of a notice or a fact: who, when, what it was before and after. */
export interface Version<T> {
  n: number;
  at: string;
  by: string;
  action: string;
  reason?: string;
  before: T | null;
  after: T | null;
}

/** A notice as staff keep it: the notice the assistant shows, whether it is in force, which schedules it concerns. */
export interface NoticeState {
  notice: Notice;
  active: boolean;
  /** The schedules (and through them the places) it concerns; a closed day or changed hours applies to these. */
  schedules: string[];
}

export interface StoredNotice {
  id: string;
  state: NoticeState;
  createdAt: string;
  createdBy: string;
  versions: Array<Version<NoticeState>>;
}

/** What the notice form sends, as typed. */
export interface NoticeInput {
  textLv: string;
  textEn: string;
  from: string;
  to: string;
  scope: string[];
  schedules: string[];
  /** 'none': text only; 'closed': the day is closed; 'hours': the day's hours are `hours`. */
  change: string;
  date: string;
  /** "09:00-12:00, 13:00-15:00" */
  hours: string;
}

/** Why a form was refused: keys of the console's texts (notices.errors.*). */
export type NoticeProblem = 'textLv' | 'textEn' | 'dates' | 'scope' | 'schedules' | 'date' | 'hours';

const NS = 'notices';
const ISO = /^\d{4}-\d{2}-\d{2}$/;
const HOURS = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Reads the form into a notice; every problem found, not only the first. */
export function noticeFromInput(id: string, input: NoticeInput, scheduleIds: readonly string[]): { state: NoticeState } | { problems: NoticeProblem[] } {
  const problems = new Set<NoticeProblem>();
  const textLv = input.textLv.trim();
  const textEn = input.textEn.trim();
  if (!textLv) problems.add('textLv');
  if (!textEn) problems.add('textEn');
  if (!ISO.test(input.from) || !ISO.test(input.to) || input.from > input.to) problems.add('dates');
  const scope = input.scope.filter((s): s is NoticeScope => s === 'hours' || s === 'start');
  if (scope.length === 0) problems.add('scope');
  const schedules = [...new Set(input.schedules.filter((s) => scheduleIds.includes(s)))];
  let overrides: ScheduleOverride[] = [];
  if (input.change === 'closed' || input.change === 'hours') {
    if (schedules.length === 0) problems.add('schedules');
    if (!ISO.test(input.date) || input.date < input.from || input.date > input.to) problems.add('date');
    let intervals: Array<[string, string]> = [];
    if (input.change === 'hours') {
      const parts = input.hours.split(',').map((p) => p.trim()).filter(Boolean).map((p) => p.split(/\s*[-–]\s*/));
      const valid = parts.length > 0 && parts.every((p) => p.length === 2 && HOURS.test(p[0]!) && HOURS.test(p[1]!) && p[0]! < p[1]!);
      if (valid) intervals = parts.map((p) => [p[0]!, p[1]!]);
      else problems.add('hours');
    }
    overrides = schedules.map((scheduleId) => ({ scheduleId, date: input.date, intervals }));
  }
  if (problems.size) return { problems: [...problems] };
  const [first, ...rest] = overrides;
  const parsed = Notice.safeParse({
    id, from: input.from, to: input.to, text: { lv: textLv, en: textEn }, scope, ...(schedules.length ? { schedules } : {}),
    ...(first ? { scheduleOverride: first } : {}), ...(rest.length ? { scheduleOverrides: rest } : {}),
  });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const top = String(issue.path[0] ?? '');
      problems.add(top === 'text' ? (issue.path[1] === 'en' ? 'textEn' : 'textLv') : top.startsWith('schedule') ? (input.change === 'hours' ? 'hours' : 'date') : 'dates');
    }
    return { problems: [...problems] };
  }
  return { state: { notice: parsed.data, active: true, schedules } };
}

/** The form's values for a notice kept (to edit it). */
export function inputOf(state: NoticeState): NoticeInput {
  const n = state.notice;
  const o = n.scheduleOverride;
  return {
    textLv: n.text.lv, textEn: n.text.en, from: n.from, to: n.to, scope: [...n.scope], schedules: [...state.schedules],
    change: o ? (o.intervals.length ? 'hours' : 'closed') : 'none',
    date: o?.date ?? '',
    hours: o ? o.intervals.map(([a, b]) => `${a}-${b}`).join(', ') : '',
  };
}

/** Notices staff publish from the console, kept in the staff store with every version. */
export class StaffNotices {
  constructor(private readonly kv: StaffKv, private readonly now: () => Date = () => new Date()) {}

  newId(): string {
    const day = this.now().toISOString().slice(0, 10).replace(/-/g, '');
    return `n-${day}-${randomBytes(4).toString('hex')}`;
  }

  get(id: string): Promise<StoredNotice | undefined> {
    return /^n-\d{8}-[0-9a-f]{8}$/.test(id) ? this.kv.get<StoredNotice>(NS, id) : Promise.resolve(undefined);
  }

  /** Newest validity first. */
  async list(): Promise<StoredNotice[]> {
    const all = await this.kv.list<StoredNotice>(NS);
    return all.sort((a, b) => (a.state.notice.from < b.state.notice.from ? 1 : a.state.notice.from > b.state.notice.from ? -1 : a.createdAt < b.createdAt ? 1 : -1));
  }

  /** The notices in force, for the assistant. */
  async active(): Promise<Notice[]> {
    return (await this.list()).filter((s) => s.state.active).map((s) => s.state.notice);
  }

  async create(state: NoticeState, by: string): Promise<StoredNotice> {
    const at = this.now().toISOString();
    const stored: StoredNotice = { id: state.notice.id, state, createdAt: at, createdBy: by, versions: [{ n: 1, at, by, action: 'create', before: null, after: state }] };
    await this.kv.set(NS, stored.id, stored);
    return stored;
  }

  update(id: string, state: NoticeState, by: string): Promise<StoredNotice> {
    return this.change(id, by, 'edit', () => state);
  }

  end(id: string, by: string): Promise<StoredNotice> {
    return this.change(id, by, 'end', (s) => ({ ...s, active: false }));
  }

  /** Back to the state before the last change (before the first: ended). */
  revert(id: string, by: string): Promise<StoredNotice> {
    return this.change(id, by, 'revert', (s, stored) => stored.versions[stored.versions.length - 1]?.before ?? { ...s, active: false });
  }

  private async change(id: string, by: string, action: string, next: (s: NoticeState, stored: StoredNotice) => NoticeState): Promise<StoredNotice> {
    const stored = await this.get(id);
    if (!stored) throw new RangeError(`no notice ${id}`);
    const after = next(stored.state, stored);
    const version: Version<NoticeState> = { n: stored.versions.length + 1, at: this.now().toISOString(), by, action, before: stored.state, after };
    const updated: StoredNotice = { ...stored, state: after, versions: [...stored.versions, version] };
    await this.kv.set(NS, id, updated);
    return updated;
  }
}
