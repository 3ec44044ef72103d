import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KnowledgeError, loadKnowledge } from '../../knowledge/loader';
import { KNOWLEDGE_DIR } from '../../server/paths';

const knowledge = loadKnowledge(KNOWLEDGE_DIR);

/** Every string under a Localized object, with its path, so a missing translation names itself. */
function localizedPairs(value: unknown, path = ''): Array<{ path: string; lv: unknown; en: unknown }> {
  if (Array.isArray(value)) return value.flatMap((v, i) => localizedPairs(v, `${path}[${i}]`));
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    if ('lv' in obj || 'en' in obj) return [{ path, lv: obj.lv, en: obj.en }];
    // phrase lists per language ("answers", "noWhen") are checked on their own
    return Object.entries(obj).filter(([k]) => k !== 'answers' && k !== 'noWhen').flatMap(([k, v]) => localizedPairs(v, `${path}.${k}`));
  }
  return [];
}

describe('knowledge', () => {
  test('the standard lists 10 e-services and 11 services', () => {
    expect(knowledge.services.filter((s) => s.lists.includes('eservice'))).toHaveLength(10);
    expect(knowledge.services.filter((s) => s.lists.includes('service'))).toHaveLength(11);
  });

  test('every fact names its source section and the topic it belongs to, and says what it answers in both languages', () => {
    expect(knowledge.facts.length).toBeGreaterThanOrEqual(60);
    for (const f of knowledge.facts) {
      expect([f.id, knowledge.topic(f.topic) !== undefined]).toEqual([f.id, true]);
      expect([f.id, f.source.length > 0, f.answers.lv.length > 0, f.answers.en.length > 0]).toEqual([f.id, true, true, true]);
      // a yes/no form starts with the answer
      if (f.yes) expect([f.id, /^(Jā|Nē)[,.:]/u.test(f.yes.lv), /^(Yes|No)[,.:]/.test(f.yes.en)]).toEqual([f.id, true, true]);
    }
  });

  test.each(['places.json', 'hours.json', 'services.json', 'topics.json', 'facts.json'])('every fact of %s exists in Latvian and English', (file) => {
    const pairs = localizedPairs(JSON.parse(readFileSync(join(KNOWLEDGE_DIR, file), 'utf8')));
    expect(pairs.length).toBeGreaterThanOrEqual(3);
    for (const p of pairs) {
      expect([p.path, typeof p.lv, typeof p.en]).toEqual([p.path, 'string', 'string']);
      expect([p.path, (p.lv as string).trim().length > 0, (p.en as string).trim().length > 0]).toEqual([p.path, true, true]);
    }
  });

  test('Latvian text is written with diacritics, English text without Latvian-only words', () => {
    const pairs = knowledge.topics.flatMap((t) => localizedPairs(t));
    const lvWithLetters = pairs.filter((p) => /[āēīūčšžņļķģ]/.test(p.lv as string)).length;
    expect(lvWithLetters / pairs.length).toBeGreaterThan(0.8);
  });

  test('reception hours as the standard gives them', () => {
    const cert = knowledge.schedule('certificate_reception');
    for (const d of ['mon', 'wed', 'fri'] as const) expect(cert.week[d]).toEqual([['09:00', '11:00'], ['13:00', '16:00']]);
    for (const d of ['tue', 'thu'] as const) expect(cert.week[d]).toEqual([['10:00', '13:00'], ['14:00', '18:00']]);
    expect(cert.week.sat ?? []).toEqual([]);
    const centreArchive = knowledge.schedule('centre_archive_reception');
    for (const d of ['mon', 'tue', 'wed', 'thu', 'fri'] as const) expect(centreArchive.week[d]).toEqual([['08:00', '12:00'], ['12:30', '16:30']]);
    const archive = knowledge.schedule('archive_department');
    for (const d of ['mon', 'tue', 'wed', 'thu'] as const) expect(archive.week[d]).toEqual([['08:00', '12:00'], ['13:00', '15:00']]);
    expect(archive.week.fri ?? []).toEqual([]);
  });

  test('places and contacts', () => {
    const centre = knowledge.place('centre');
    expect(centre.address).toBe('Bruņinieku iela 72B, Rīga, LV-1009');
    const values = centre.contacts.map((c) => c.value);
    expect(values).toEqual(expect.arrayContaining(['+371 67208218', '+371 67208219', 'kanceleja@ic.iem.gov.lv', 'pd@ic.iem.gov.lv']));
    const archive = knowledge.place('archive');
    expect(archive.address).toContain('Čiekurkalna 1. līnija 1, k-6');
    expect(archive.contacts.map((c) => c.value)).toEqual(expect.arrayContaining(['+371 67829000', '+371 67829007', '+371 67829017', 'arhivs@ic.iem.gov.lv']));
  });

  test('every topic an answer needs is there, each with its source', () => {
    for (const id of ['about_centre', 'service_principles', 'client_rules', 'feedback', 'fees', 'notices', 'criminal_record_request',
      'criminal_record_collect', 'criminal_record_check', 'representation', 'archive_request']) {
      const topic = knowledge.topic(id);
      expect([id, topic !== undefined]).toEqual([id, true]);
      expect(topic!.source.length).toBeGreaterThan(0);
    }
  });

  test('no invented amounts of money or processing times', () => {
    const text = readFileSync(join(KNOWLEDGE_DIR, 'topics.json'), 'utf8') + readFileSync(join(KNOWLEDGE_DIR, 'services.json'), 'utf8');
    expect(text).not.toMatch(/€|\beur\b|\beiro\b|\d+\s*(darba )?dien(u|ām|as)\b|\d+\s*(working )?days?\b/i);
  });
});

describe('a broken knowledge file stops the start, naming the file and the field', () => {
  function brokenCopy(file: string, mutate: (json: Record<string, unknown>) => void): string {
    const dir = mkdtempSync(join(tmpdir(), 'knowledge-'));
    cpSync(KNOWLEDGE_DIR, dir, { recursive: true });
    const json = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>;
    mutate(json);
    writeFileSync(join(dir, file), JSON.stringify(json));
    return dir;
  }

  test('a missing English translation', () => {
    const dir = brokenCopy('topics.json', (j) => { delete ((j.topics as Array<{ lead: Record<string, string> }>)[0]!.lead).en; });
    expect(() => loadKnowledge(dir)).toThrow(KnowledgeError);
    expect(() => loadKnowledge(dir)).toThrow(/topics\.json: field "topics\.0\.lead\.en"/);
  });

  test('a malformed time', () => {
    const dir = brokenCopy('hours.json', (j) => { (j.schedules as Array<{ week: Record<string, string[][]> }>)[0]!.week.mon = [['9', '11:00']]; });
    expect(() => loadKnowledge(dir)).toThrow(/hours\.json: field "schedules\.0\.week\.mon\.0\.0" time must be HH:MM/);
  });

  test('not JSON at all', () => {
    const dir = brokenCopy('places.json', () => undefined);
    writeFileSync(join(dir, 'places.json'), '{ "places": [');
    expect(() => loadKnowledge(dir)).toThrow(/places\.json: cannot be read as JSON/);
  });
});
