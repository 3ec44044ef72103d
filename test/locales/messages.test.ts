import { readFileSync } from 'node:fs';
import i18next from 'i18next';
import { join } from 'node:path';
import { Messages } from '../../locales/i18n';
import { INTENT_NAMES } from '../../nlu/intents';
import { LOCALES_DIR } from '../../server/paths';

function keys(value: unknown, prefix = ''): string[] {
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
  return [prefix];
}

const load = (lang: string) => JSON.parse(readFileSync(join(LOCALES_DIR, lang, 'messages.json'), 'utf8')) as Record<string, unknown>;

describe('locales', () => {
  test('every message key exists in both languages', () => {
    const lv = keys(load('lv')).sort();
    const en = keys(load('en')).sort();
    expect(lv.filter((k) => !en.includes(k))).toEqual([]);
    expect(en.filter((k) => !lv.includes(k))).toEqual([]);
  });

  test('every intent has a menu title in both languages', () => {
    const messages = Messages.load(LOCALES_DIR);
    for (const intent of INTENT_NAMES) {
      expect([intent, messages.has('lv', `menu.${intent}`), messages.has('en', `menu.${intent}`)]).toEqual([intent, true, true]);
    }
  });

  test('interpolation fills values and a missing key throws instead of showing the key', () => {
    const t = Messages.load(LOCALES_DIR).for('lv');
    expect(t('fallback.text', { phone: '+371 67208218', email: 'kanceleja@ic.iem.gov.lv' })).toContain('+371 67208218');
    expect(() => t('no.such.key')).toThrow(/missing message/);
  });

  test('every message reads exactly as i18next writes it, with its values filled in (the cached path)', () => {
    const i18n = i18next.createInstance();
    void i18n.init({ lng: 'lv', fallbackLng: false, initAsync: false, interpolation: { escapeValue: false }, resources: { lv: { translation: load('lv') }, en: { translation: load('en') } } } as Parameters<typeof i18n.init>[0]);
    const messages = Messages.load(LOCALES_DIR);
    let withValues = 0;
    for (const lang of ['lv', 'en'] as const) {
      const t = messages.for(lang);
      const ref = i18n.getFixedT(lang);
      for (const key of keys(load(lang))) {
        const names = [...String(i18n.getResource(lang, 'translation', key)).matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((m) => m[1]!);
        const vars = Object.fromEntries(names.map((n, i) => [n, i % 2 ? i * 7 : `<${n} $1 $&>`]));
        if (names.length) withValues += 1;
        expect([key, t(key, vars)]).toEqual([key, ref(key, vars)]);
        // asked twice: the second answer comes from the cache
        expect([key, t(key, vars)]).toEqual([key, ref(key, vars)]);
      }
    }
    expect(withValues).toBeGreaterThan(20);
    // a value left out: as i18next does
    expect(messages.for('lv')('fallback.text', { phone: '+371 67208218' })).toBe(i18n.getFixedT('lv')('fallback.text', { phone: '+371 67208218' }));
  });

  test('Latvian messages are written with diacritics', () => {
    const text = JSON.stringify(load('lv'));
    expect(text).toMatch(/ā/);
    expect(text).not.toMatch(/\b(Ludzu|Paldies ka|pienemsanas)\b/);
  });
});
