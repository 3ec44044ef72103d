import type { Weekday } from '../knowledge/schema';
import { foldDiacritics, nfcLower } from './text';

export type ContactKind = 'phone' | 'fax' | 'email' | 'website';
export type PlaceRef = 'archive' | 'centre';
export type RelativeDay = 'today' | 'tomorrow' | 'day_after_tomorrow' | 'now';
export type Subject = 'self' | 'adult' | 'minor' | 'ward' | 'deceased' | 'company';
export type SubmitChannel = 'in_person' | 'post' | 'email' | 'fax' | 'eservice';

export interface Entities {
  contactKinds: ContactKind[];
  place?: PlaceRef;
  weekday?: Weekday;
  relativeDay?: RelativeDay;
  /** Minutes after midnight. */
  time?: number;
  /** The time is an end ("līdz 18:00", "until 6 pm"): open a minute before it is enough. */
  until?: boolean;
  subject?: Subject;
  channel?: SubmitChannel;
  /** "When can I come next?": the next opening, not a particular day. */
  asksNext?: boolean;
  /** The person cannot come in person ("I live abroad", "nevaru atbraukt", "manā vietā"): who may act for them. */
  absent?: boolean;
  /** A calendar day without a year ("18. novembrī", "24 December", "24.12."): month 1-12, day 1-31. */
  date?: { month: number; day: number };
  /** The question asks whether it is closed ("vai 13.30 ir slēgts?", "is there a break at 13:00?"): yes means closed. */
  asksClosed?: boolean;
  /** The question asks about the break in the reception hours ("pusdienu pārtraukums", "lunch break"). */
  asksBreak?: boolean;
  /** … asked the other way round ("bez pārtraukuma?", "without a break?"): yes means no break. */
  withoutBreak?: boolean;
}

type Rule<T> = [RegExp, T];

// Patterns run on folded, lowercased text, so "pirmdienā" and "pirmdiena" are one form.
const CONTACT_RULES: Rule<ContactKind>[] = [
  [/\b(faks\w*|fax\w*)\b/, 'fax'],
  [/\b(e-?past\w*|e-?mail\w*|epast\w*|email\w*|mail)\b/, 'email'],
  [/\b(talr\w*|telef\w*|phone\w*|tel|zvan\w*|piezvan\w*|call\w*|ring)\b/, 'phone'],
  // (not "internetā": that is how to apply, online, not the Centre's website)
  [/\b(maja ?lap\w*|majaslap\w*|timekla vietn\w*|web\w*|site|www)\b/, 'website'],
];

const WEEKDAY_RULES: Rule<Weekday>[] = [
  [/\b(pirmdien\w*|monday\w*|mon)\b/, 'mon'],
  [/\b(otrdien\w*|tuesday\w*|tue|tues)\b/, 'tue'],
  [/\b(tresdien\w*|wednesday\w*|wed)\b/, 'wed'],
  [/\b(ceturtdien\w*|thursday\w*|thu|thur|thurs)\b/, 'thu'],
  [/\b(piektdien\w*|friday\w*|fri)\b/, 'fri'],
  [/\b(sestdien\w*|saturday\w*|sat)\b/, 'sat'],
  [/\b(svetdien\w*|sunday\w*|sun)\b/, 'sun'],
];

const RELATIVE_RULES: Rule<RelativeDay>[] = [
  [/\b(parit|day after tomorrow)\b/, 'day_after_tomorrow'],
  [/\b(rit|rītdien\w*|ritdien\w*|tomorrow|tmrw|tomorow)\b/, 'tomorrow'],
  [/\b(tagad|patlaban|paslaik|pasreiz|sobrid|right now|now|currently|at the moment)\b/, 'now'],
  [/\b(sodien\w*|today|tonight)\b/, 'today'],
];

const SUBJECT_RULES: Rule<Subject>[] = [
  [/\b(uznem\w*|firm\w*|sia|juridisk\w*|company|companies|business|employer's|legal (person|entity)|organi[sz]ation)\b/, 'company'],
  [/\b(mirus\w*|miris\w*|nomir\w*|nelaik\w*|deceased|dead|died|passed away|late (father|mother|husband|wife|grand\w*|brother|sister))\b/, 'deceased'],
  [/\b(aizgadn\w*|aizgadib\w*|guardianship|ward|under guardian\w*|in my care|(court[- ]appointed|legal) guardian|guardian of an adult)\b/, 'ward'],
  // one child (a certificate is for one person): "the kids have school" is the story, not the subject;
  // an age, not a span of time ("2 years ago", "pirms 2 gadiem")
  [/\b(del\w*|meit\w*|berns|bernam|bernu|berna|nepilngadig\w*|pusaudz\w*|son|son's|daughter|daughter's|child|child's|kid|kid's|minor|teen\w*|(?<!pirms )\d{1,2}[ -]?(gad\w*|year\w*)(?! ago| atpakal))\b/, 'minor'],
  [/\b(pilnvar\w*|power of attorney|(for|of) (my|a|an) ([a-z]+ )?(wife|husband|friend|colleague|father|mother|dad|mum|mom|brother|sister|relative|partner|neighbou?r)|for someone else|someone else|another (person|adult)|cit\w* person\w*|citam|sievai|sieva|viram|virs|draugam|draugs|draudzen\w*|tevam|mammai|mamma|matei|mate|bralim|bralis|masai|masa|kolegim|kolegis|kaiminam|partnerim)\b/, 'adult'],
  [/\b(sev|par sevi|man pasam|man pasai|es pats|es pati|for myself|about myself|myself|my own)\b/, 'self'],
];

/**
 * The person concerned cannot come: lives or works abroad, is at sea, or asks who may act in their
 * place. On folded text. A country name in the locative ("Īrijā", "Norvēģijā") after living or working.
 */
const ABSENT = new RegExp([
  String.raw`\bnevar\w* (atbraukt|ierasties|atnakt|aiziet|nakt|iet|tikt|but klat|personigi)`,
  String.raw`\bnebus\w* (latvija|riga|klat|uz vietas)`,
  String.raw`\b(dzivo\w*|strada\w*|atrodo\w*|uzturo\w*|esmu|esam|atrodas|pardzivoj\w*) (arzem\w*|arpus latvijas|jura|uz kuga|[a-z]{2,}ija|anglija|amerika|vacija|zviedrija)\b`,
  String.raw`\b(arzemes|arzemem|arpus latvijas|uz kuga|juras|mana vieta|manas vietas|vina vieta|vinas vieta)\b`,
  String.raw`\b(can ?not|can'?t|unable to|not able to|won'?t be able to|couldn'?t) (come|get|be there|travel|attend|make it|visit)`,
  String.raw`\b(live|living|lives|work|working|works|stay|staying|based|moved) (abroad|overseas|in (the uk|england|ireland|norway|germany|sweden|the us|america|another country)|to (the uk|england|ireland|norway|germany|sweden|the us|america|another country))\b`,
  String.raw`\b(abroad|overseas|out of the country|outside latvia|not in latvia|at sea|in my place|on my behalf|instead of me|in my stead)\b`,
].join('|'));

/** As an answer to "who is it for?", a bare "me" / "man" means the user ("guide me" elsewhere does not). */
const SELF_ANSWER = /^(man|me|es|mani|pats|pati|sev|for me|about me|mine|i|me myself|man pasam|man pasai)$/;

/** The subject of a short answer to a guide's "who is it for?" question. */
export function answerSubject(text: string): Subject | undefined {
  const t = foldDiacritics(nfcLower(text)).replace(/[^\p{L}\p{N}\s]/gu, ' ').replace(/\s+/g, ' ').trim();
  return SELF_ANSWER.test(t) ? 'self' : extractEntities(text).subject;
}

// e-mail before post: "e-pasta adrese" is not "pasts"
const CHANNEL_RULES: Rule<SubmitChannel>[] = [
  [/\b(latvija\.?lv|e-?pakalpojum\w*|online|portal\w*|internet\w*|tiessaist\w*|e-?service|iesniegums iestadei)\b/, 'eservice'],
  [/(\be-|\be)(past\w*|mail\w*)\b|\bemail\w*\b|\bepast\w*\b/, 'email'],
  [/\b(faks\w*|fax\w*)\b/, 'fax'],
  [/(^|[^-\w])(pa pastu|pasta|pasts|post|postal|by mail|mail it|letter|vestul\w*|ierakstit\w* vestul\w*)\b/, 'post'],
  // "centrā" (at the Centre) only with its diacritic: folded, it is "Centra" (the Centre's), in every other question
  [/\b(klatien\w*|in person|personally|come in|atnak\w*|ierast\w*|pats atnaksu|on site|uz vietas)\b/, 'in_person'],
];

// folded month stems: janvari, februari, marta, aprili, maija, junija, julija, augusta, septembri, oktobri, novembri, decembri
const MONTHS: Array<[RegExp, number]> = [
  [/^(janvar\w*|jan\w*)$/, 1], [/^(februar\w*|feb\w*)$/, 2], [/^(mart\w*|march|mar)$/, 3], [/^(april\w*|apr)$/, 4],
  [/^(maij\w*|may)$/, 5], [/^(junij\w*|june|jun)$/, 6], [/^(julij\w*|july|jul)$/, 7], [/^(august\w*|aug)$/, 8],
  [/^(septembr\w*|september|sep|sept)$/, 9], [/^(oktobr\w*|october|oct)$/, 10], [/^(novembr\w*|november|nov)$/, 11], [/^(decembr\w*|december|dec)$/, 12],
];

function monthOf(word: string): number | undefined {
  return MONTHS.find(([re]) => re.test(word))?.[1];
}

interface DateMatch { month: number; day: number; start: number; end: number }

/** A calendar day in folded text, with where it stands (so that it can be left out of the words to classify). */
function parseDate(text: string): DateMatch | undefined {
  const valid = (day: number, month: number | undefined, m: RegExpExecArray) => (month && day >= 1 && day <= 31
    ? { month, day, start: m.index, end: m.index + m[0].length } : undefined);
  // "18. novembrī", "18 november", "18th of November"
  const dayFirst = /\b([0-3]?\d)(?:\.|st|nd|rd|th)?\s+(?:of\s+)?([a-z]+)/.exec(text);
  const a = dayFirst && valid(Number(dayFirst[1]), monthOf(dayFirst[2]!), dayFirst);
  if (a) return a;
  // "November 18", "december 24th"
  const monthFirst = /\b([a-z]+)\s+([0-3]?\d)(?:st|nd|rd|th)?\b/.exec(text);
  const b = monthFirst && valid(Number(monthFirst[2]), monthOf(monthFirst[1]!), monthFirst);
  if (b) return b;
  // "24.12." (with the closing dot: "9.30" is a time)
  const numeric = /\b([0-3]?\d)\.(0?[1-9]|1[0-2])\.(?=\s|$|\?|,)/.exec(text);
  return numeric ? valid(Number(numeric[1]), Number(numeric[2]), numeric) ?? undefined : undefined;
}

/** The message's folded text without the calendar day it names: a month is not a topic word. */
export function withoutDate(text: string): string {
  const t = foldDiacritics(nfcLower(text));
  const d = parseDate(t);
  return d ? `${t.slice(0, d.start)} ${t.slice(d.end)}` : text;
}

function first<T>(rules: Rule<T>[], text: string): T | undefined {
  for (const [re, value] of rules) if (re.test(text)) return value;
  return undefined;
}

function parseTime(text: string): number | undefined {
  const hm = /\b([01]?\d|2[0-3])[:.]([0-5]\d)\b\s*(am|pm)?/.exec(text);
  const h12 = /\b(1[0-2]|0?[1-9])\s*(am|pm)\b/.exec(text);
  const bare = /\b(?:plkst\.?|pulksten\w*|at|ap|around|pec|lidz)\s+([01]?\d|2[0-3])\b/.exec(text);
  let hours: number | undefined;
  let minutes = 0;
  let meridiem: string | undefined;
  if (hm) { hours = Number(hm[1]); minutes = Number(hm[2]); meridiem = hm[3]; }
  else if (h12) { hours = Number(h12[1]); meridiem = h12[2]; }
  else if (bare) { hours = Number(bare[1]); }
  else if (/\b(noon|midday|pusdienlaik\w*|pusdienas laika)\b/.test(text)) { hours = 12; meridiem = 'pm'; }
  if (hours === undefined) return undefined;
  if (meridiem === 'pm' && hours < 12) hours += 12;
  if (meridiem === 'am' && hours === 12) hours = 0;
  // "at 5" in office talk means the afternoon
  if (!meridiem && !hm && hours >= 1 && hours <= 6) hours += 12;
  return hours * 60 + minutes;
}

export function extractEntities(text: string): Entities {
  const t = foldDiacritics(nfcLower(text));
  const contactKinds = CONTACT_RULES.filter(([re]) => re.test(t)).map(([, kind]) => kind);
  const archive = /\b(arhiv\w*|archiv\w*|ciekurkaln\w*)\b/.test(t);
  const entities: Entities = { contactKinds };
  if (archive) entities.place = 'archive';
  const weekday = first(WEEKDAY_RULES, t);
  if (weekday) entities.weekday = weekday;
  const relativeDay = first(RELATIVE_RULES, t);
  if (relativeDay) entities.relativeDay = relativeDay;
  const date = parseDate(t);
  if (date) entities.date = { month: date.month, day: date.day };
  // "2.01." is a date, not two minutes past two
  const time = parseTime(date ? `${t.slice(0, date.start)} ${t.slice(date.end)}` : t);
  if (time !== undefined) entities.time = time;
  // "līdz 18:00", "until 6 pm": the time is the end of the visit, so a minute before it must be open
  if (time !== undefined && /\b(lidz|until|till|by|before)\s+(plkst\.?\s+)?\d/.test(t)) entities.until = true;
  // "I'm 17", "man ir 16 gadu": the person asking is a minor
  const ownAge = /\b(i ?['’]?m|i am|im|man ir|esmu)\s+(1[0-7]|[1-9])\b/.exec(t);
  const named = first(SUBJECT_RULES, t);
  // "I'm 17, can I apply on my own?" is about a minor, though it says "my own"
  const subject = ownAge && (named === undefined || named === 'self') ? 'minor' : named;
  if (subject) entities.subject = subject;
  const absent = ABSENT.test(t.replace(/[’`]/g, "'"));
  if (absent) entities.absent = true;
  // "besides email, …", "izņemot e-pastu": a way named to leave it out is not the way asked
  const kept = t.replace(/\b(besides|except|apart from|other than|instead of|iznemot|neskaitot)\s+(by\s+|via\s+|pa\s+|uz\s+)?[\w.-]+/g, ' ');
  const channel = first(CHANNEL_RULES, kept) ?? (/(^|[^\p{L}])centrā($|[^\p{L}])/u.test(nfcLower(text)) ? 'in_person' : undefined)
    ?? (/\b(right there|on the spot|at the (service|client service) point|apkalposanas vieta)\b/.test(t) ? 'in_person' : undefined);
  // "nevaru ierasties" names coming in only to say it cannot
  if (channel && !(absent && channel === 'in_person')) entities.channel = channel;
  if (/\b(partraukum\w*|break|breaks)\b/.test(t)) entities.asksBreak = true;
  if (/\b(bez|without|no)\s+(\w+\s+)?(partraukum\w*|pusdien\w*|break|breaks|lunch\w*)\b|\b(non-?stop)\b/.test(t)) entities.asksBreak = entities.withoutBreak = true;
  if (entities.asksBreak || /\b(sleg\w*|nestrada\w*|closed|close|shut)\b/.test(t)) entities.asksClosed = true;
  if (/\b(nakamreiz|nakamo reizi|tuvak\w*|nakam\w* (reiz|pienemsan|laik)|agrak\w*|next|soonest|earliest)\b/.test(t)) entities.asksNext = true;
  return entities;
}
