import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import i18next, { type TFunction } from 'i18next';
import { LANGS, type Lang } from '../nlu/languagePack';

export type Translate = (key: string, vars?: Record<string, string | number>) => string;

/** Every phrase the bot says comes from locales/<lang>/messages.json; Latvian is the default. */
export class Messages {
  private readonly fixed: Record<Lang, TFunction>;
  /** Each key's string as it stands in the resources (null: not a plain string, i18next answers). */
  private readonly templates: Record<Lang, Map<string, string | null>> = { lv: new Map(), en: new Map() };
  private readonly exists: Record<Lang, Map<string, boolean>> = { lv: new Map(), en: new Map() };

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
    const templates = this.templates[lang];
    return (key, vars) => {
      // the hot path (several messages a turn): the plain string from the resources, {{name}} filled in here
      let template = templates.get(key);
      if (template === undefined) {
        const raw = this.instance.getResource(lang, 'translation', key) as unknown;
        template = typeof raw === 'string' ? raw : null;
        templates.set(key, template);
      }
      if (template !== null) {
        const filled = fill(template, vars);
        if (filled !== undefined) return filled;
      }
      const value = t(key, vars ?? {}) as unknown;
      if (typeof value !== 'string' || value === key) throw new Error(`missing message "${key}" in ${lang}`);
      return value;
    };
  }

  has(lang: Lang, key: string): boolean {
    // asked several times a turn (is there a message for this topic's menu, this fact's label?)
    const known = this.exists[lang].get(key);
    if (known !== undefined) return known;
    const found = this.instance.exists(key, { lng: lang });
    this.exists[lang].set(key, found);
    return found;
  }
}

const PLACEHOLDER = /\{\{\s*([\w.]+)\s*\}\}/g;

/**
 * `{{name}}` replaced by `vars.name`, as i18next does with escaping off. Undefined when a
 * placeholder has no value: i18next then answers, as it always did.
 */
export function fill(template: string, vars: Record<string, string | number> | undefined): string | undefined {
  if (!template.includes('{{')) return template;
  let missing = false;
  const out = template.replace(PLACEHOLDER, (_, name: string) => {
    const v = vars?.[name];
    if (v === undefined) {
      missing = true;
      return '';
    }
    return String(v);
  });
  return missing || out.includes('{{') ? undefined : out;
}
