import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCALES_DIR } from '../../server/paths';

const load = (lang: string) => JSON.parse(readFileSync(join(LOCALES_DIR, lang, 'staff.json'), 'utf8')) as Record<string, unknown>;
const keys = (o: Record<string, unknown>, prefix = ''): string[] =>
  Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' ? keys(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`]));

describe('the staff console texts', () => {
  test('Latvian and English have the same keys, none empty', () => {
    const lv = load('lv');
    const en = load('en');
    expect(keys(lv).sort()).toEqual(keys(en).sort());
    for (const [lang, o] of [['lv', lv], ['en', en]] as const) {
      for (const k of keys(o)) {
        const value = k.split('.').reduce<unknown>((n, p) => (n as Record<string, unknown>)[p], o);
        expect([lang, k, typeof value === 'string' && value.trim() !== '']).toEqual([lang, k, true]);
      }
    }
  });

  test('the list heading is "Sarunas" / "Conversations"; Latvian is written with its diacritics', () => {
    expect((load('lv').list as Record<string, string>).heading).toBe('Sarunas');
    expect((load('en').list as Record<string, string>).heading).toBe('Conversations');
    const lv = JSON.stringify(load('lv'));
    expect(lv).toMatch(/Pieslēgšanās/);
    expect(lv).not.toMatch(/Pieslegsanas|Sarunas identifikators:/);
  });
});
