import { english } from './en';
import type { Lang, LanguagePack } from './languagePack';
import { latvian } from './lv';

export const PACKS: Record<Lang, LanguagePack> = { lv: latvian, en: english };
