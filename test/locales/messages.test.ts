import { readFileSync } from 'node:fs';
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

  test('Latvian messages are written with diacritics', () => {
    const text = JSON.stringify(load('lv'));
    expect(text).toMatch(/ā/);
    expect(text).not.toMatch(/\b(Ludzu|Paldies ka|pienemsanas)\b/);
  });
});
