import { z } from 'zod';

/** Every user-facing fact exists in both languages; an empty string is a missing translation. */
export const Localized = z.object({
  lv: z.string().min(1),
  en: z.string().min(1),
}).strict();
export type Localized = z.infer<typeof Localized>;

/** The section of the client service standard a fact comes from (seed/000_e7cc5ad483fa671f.txt). */
export const Source = z.enum([
  'APSTIPRINĀTS',   // the heading: approved by order No. R-30 of 31 January 2018
  'INTRO',          // the opening paragraph: what the Centre is
  'MĒRĶIS',         // purpose
  'VĒRTĪBAS',       // values
  'DARBINIEKS',     // the staff member's commitments
  'PAKALPOJUMI',    // e-services and services
  'KLIENTU APKALPOŠANAS VIETA UN PIEŅEMŠANAS LAIKS', // where and when; submitting, collecting, archive
  'SADARBĪBA BŪS VEIKSMĪGA, JA KLIENTS',             // what the client is asked to do
  'KLIENTU ATSAUKSMES',                              // feedback
]);
export type Source = z.infer<typeof Source>;

const Time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'time must be HH:MM');
const Interval = z.tuple([Time, Time]).refine(([a, b]) => a < b, 'an interval must end after it starts');
export const Weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
export type Weekday = z.infer<typeof Weekday>;

export const Link = z.object({ title: Localized, url: z.string().url() }).strict();

export const Contact = z.object({
  kind: z.enum(['phone', 'fax', 'email', 'website']),
  value: z.string().min(3),
  label: Localized,
}).strict();

export const Place = z.object({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/),
  name: Localized,
  address: z.string().min(5),            // as the standard writes it (a proper name, same in both languages)
  postalAddress: z.string().optional(),
  contacts: z.array(Contact),
  source: Source,
}).strict();

export const Schedule = z.object({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/),
  placeId: z.string(),
  title: Localized,                       // e.g. "Submitting requests and collecting certificates"
  week: z.record(Weekday, z.array(Interval)),  // a weekday with no entry is closed
  source: Source,
}).strict();

export const Service = z.object({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/),
  /** 'eservice': listed among the 10 e-services; 'service': among the 11 services the Centre provides. */
  lists: z.array(z.enum(['eservice', 'service'])).min(1),
  name: Localized,                        // the name as the standard lists it (lv) and its translation (en)
  /** A short name for lists, so that all ten fit a phone screen. */
  short: Localized,
  description: Localized,                 // one paragraph: what it is and who it is for
  howTo: Localized,                       // how to get it; e-services: on Latvija.lv
  links: z.array(Link).default([]),
  source: Source,
  /** Words people use for it that its name does not have ("for companies", "geographically"). */
  answers: z.object({ lv: z.array(z.string().min(2)), en: z.array(z.string().min(2)) }).strict().optional(),
}).strict();

/**
 * One fact of the standard that a question can be answered with: its text, the same fact put as
 * the answer to a yes/no question ("Jā, …"/"No, …"), and what it answers (phrases people use,
 * and the entities of a message that point to it).
 */
export const Fact = z.object({
  id: z.string().regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/, 'a fact id is dotted: "topic.fact"'),
  /** The topic of topics.json it belongs to. */
  topic: z.string(),
  source: Source,
  text: Localized,
  /** The fact as a line of its topic's list, where the list's lead already says what it is ("Pa pastu: …"). */
  item: Localized.optional(),
  yes: Localized.optional(),
  /** The answer to a yes/no question that one of `noWhen`'s words turns to "no" ("without a power of attorney?"). */
  no: Localized.optional(),
  noWhen: z.object({ lv: z.array(z.string().min(2)), en: z.array(z.string().min(2)) }).strict().optional(),
  answers: z.object({ lv: z.array(z.string().min(2)).min(1), en: z.array(z.string().min(2)).min(1) }).strict(),
  when: z.object({
    subject: z.array(z.enum(['self', 'adult', 'minor', 'ward', 'deceased', 'company'])).optional(),
    channel: z.array(z.enum(['in_person', 'post', 'email', 'fax', 'eservice'])).optional(),
    place: z.array(z.enum(['centre', 'archive'])).optional(),
    /** The fact applies, whatever else, when the person concerned cannot come (abroad, "in my place"). */
    absent: z.boolean().optional(),
  }).strict().optional(),
  /** false: answers a question, but is not listed in the topic's full answer (it restates the lead). */
  inTopic: z.boolean().default(true),
}).strict();

/** A topic answer: a short lead sentence, then its facts (facts.json), in the order people need them. */
export const Topic = z.object({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/),
  title: Localized,
  lead: Localized,
  /** The whole topic in one line, said first when a guide starts ("five ways: …"). */
  short: Localized.optional(),
  /** Phrases that ask about the topic as a whole ("kā sūdzēties?"), not one fact of it. */
  answers: z.object({ lv: z.array(z.string().min(2)), en: z.array(z.string().min(2)) }).strict().optional(),
  /** Always answered whole: its lead says what the standard does not give (fees, processing times). */
  whole: z.boolean().default(false),
  note: Localized.optional(),
  links: z.array(Link).default([]),
  related: z.array(z.string()).default([]),  // topic or service ids offered as next choices
  source: z.array(Source).min(1),
}).strict();

export const KnowledgeFiles = {
  'places.json': z.object({ places: z.array(Place).min(1) }).strict(),
  'hours.json': z.object({ schedules: z.array(Schedule).min(1) }).strict(),
  'services.json': z.object({ services: z.array(Service).min(1) }).strict(),
  'topics.json': z.object({ topics: z.array(Topic).min(1) }).strict(),
  'facts.json': z.object({ facts: z.array(Fact).min(1) }).strict(),
} as const;

export type Place = z.infer<typeof Place>;
export type Schedule = z.infer<typeof Schedule>;
export type Service = z.infer<typeof Service>;
export type Topic = z.infer<typeof Topic>;
export type Fact = z.infer<typeof Fact>;
export type Link = z.infer<typeof Link>;
export type Contact = z.infer<typeof Contact>;
