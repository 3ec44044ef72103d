import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import i18next, { type TFunction } from 'i18next';
import { LANGS, type Lang } from '../nlu/languagePack';

export type Translate = (key: string, vars?: Record<string, string | number>) => string;

/** Every phrase the bot says comes from locales/<lang>/messages.json; Latvian is the default. */
export class Messages {
  private readonly fixed: Record<Lang, TFunction>;

  private constructor(private readonly instance: typeof i18next) {
    this.fixed = { lv: instance.getFixedT('lv'), en: instance.getFixedT('en') };
  }

  static load(localesDir: string): Messages {
    const resources: Record<string, { translation: Record<string, unknown> }> = {};
    for (const lang of LANGS) {
      resources[lang] = { translation: JSON.parse(readFileSync(join(localesDir, lang, 'messages.json'), 'utf8')) as Record<string, unknown> };
    }
    const instance = i18next.createInstance();
    void instance.init({
      lng: 'lv',
      fallbackLng: false,
      resources,
      initAsync: false,
      interpolation: { escapeValue: false },
      returnNull: false,
      showSupportNotice: false,
    } as Parameters<typeof instance.init>[0]);
    return new Messages(instance);
  }

  for(lang: Lang): Translate {
    const t = this.fixed[lang];
    return (key, vars) => {
      const value = t(key, vars ?? {}) as unknown;
      if (typeof value !== 'string' || value === key) throw new Error(`missing message "${key}" in ${lang}`);
      return value;
    };
  }

  has(lang: Lang, key: string): boolean {
    return this.instance.exists(key, { lng: lang });
  }
}
