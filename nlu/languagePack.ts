export type Lang = 'lv' | 'en';
export const LANGS: readonly Lang[] = ['lv', 'en'];

/** Everything language-specific the pipeline needs; a new language adds one of these. */
export interface LanguagePack {
  readonly code: Lang;
  /** NFC, lowercase and the language's own folding, on the whole text before tokenizing. */
  normalize(text: string): string;
  stem(token: string): string;
  /** Words too common to count towards "did I understand this message" (coverage). */
  readonly stopwords: ReadonlySet<string>;
}
