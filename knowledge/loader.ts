import { join } from 'node:path';
import { type Calendar, loadCalendar, loadNotices } from './calendarRules';
import { KnowledgeError, parseFile } from './files';
import { GuidesFile } from './guidesSchema';
import type { Notice } from './noticesSchema';
import { KnowledgeFiles, type Fact, type Place, type Schedule, type Service, type Topic } from './schema';

export { KnowledgeError };

export interface Knowledge {
  places: Place[];
  schedules: Schedule[];
  services: Service[];
  topics: Topic[];
  facts: Fact[];
  guides: GuidesFile;
  calendar: Calendar;
  notices: Notice[];
  place(id: string): Place;
  schedule(id: string): Schedule;
  service(id: string): Service | undefined;
  topic(id: string): Topic | undefined;
  fact(id: string): Fact | undefined;
  /** The facts of a topic, in file order. */
  factsOf(topicId: string): Fact[];
}

function indexById<T extends { id: string }>(items: T[], file: string): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items) {
    if (map.has(item.id)) throw new KnowledgeError(`${file}: duplicate id "${item.id}"`);
    map.set(item.id, item);
  }
  return map;
}

/** Loads and validates every knowledge file once; a broken file names itself and the field. */
export function loadKnowledge(dir: string): Knowledge {
  const { places } = parseFile(dir, 'places.json', KnowledgeFiles['places.json']);
  const { schedules } = parseFile(dir, 'hours.json', KnowledgeFiles['hours.json']);
  const { services } = parseFile(dir, 'services.json', KnowledgeFiles['services.json']);
  const { topics } = parseFile(dir, 'topics.json', KnowledgeFiles['topics.json']);
  const placeById = indexById(places, join(dir, 'places.json'));
  const scheduleById = indexById(schedules, join(dir, 'hours.json'));
  const serviceById = indexById(services, join(dir, 'services.json'));
  const topicById = indexById(topics, join(dir, 'topics.json'));
  const { facts } = parseFile(dir, 'facts.json', KnowledgeFiles['facts.json']);
  const factById = indexById(facts, join(dir, 'facts.json'));
  const byTopic = new Map<string, Fact[]>();
  facts.forEach((f, i) => {
    if (!topicById.has(f.topic)) throw new KnowledgeError(`${join(dir, 'facts.json')}: field "facts.${i}.topic" names an unknown topic "${f.topic}"`);
    byTopic.set(f.topic, [...(byTopic.get(f.topic) ?? []), f]);
  });
  schedules.forEach((s, i) => {
    if (!placeById.has(s.placeId)) throw new KnowledgeError(`${join(dir, 'hours.json')}: field "schedules.${i}.placeId" names an unknown place "${s.placeId}"`);
  });
  topics.forEach((t, i) => t.related.forEach((r, j) => {
    if (!topicById.has(r) && !serviceById.has(r)) {
      throw new KnowledgeError(`${join(dir, 'topics.json')}: field "topics.${i}.related.${j}" names an unknown topic or service "${r}"`);
    }
  }));
  const guides = parseFile(dir, 'guides.json', GuidesFile);
  const guideSchedules = [
    ...Object.entries(guides.archive.channels).map(([k, c]) => [`archive.channels.${k}.scheduleId`, c.scheduleId] as const),
    ['archive.collect.scheduleId', guides.archive.collect.scheduleId] as const,
  ];
  for (const [field, id] of guideSchedules) {
    if (id !== undefined && !scheduleById.has(id)) throw new KnowledgeError(`${join(dir, 'guides.json')}: field "${field}" names an unknown schedule "${id}"`);
  }
  return {
    places, schedules, services, topics, facts, guides,
    calendar: loadCalendar(dir),
    notices: loadNotices(dir),
    place: (id) => {
      const p = placeById.get(id);
      if (!p) throw new KnowledgeError(`unknown place "${id}"`);
      return p;
    },
    schedule: (id) => {
      const s = scheduleById.get(id);
      if (!s) throw new KnowledgeError(`unknown schedule "${id}"`);
      return s;
    },
    service: (id) => serviceById.get(id),
    topic: (id) => topicById.get(id),
    fact: (id) => factById.get(id),
    factsOf: (topicId) => byTopic.get(topicId) ?? [],
  };
}
