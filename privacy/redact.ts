/**
 * Replaces personal data in free text with neutral placeholders before it is stored or
 * logged. Tuned for recall: a false positive costs a word in a transcript, a miss leaks a
 * person's data. Every phone number is redacted, the Centre's own included (bot answers
 * can be re-created from the knowledge files, so nothing is lost).
 *
 * Bounded work: every quantifier has an upper bound (a rule's match is at most
 * RULE_MAX_MATCH characters) and the one pattern with a long free-form run (the e-mail's
 * mailbox) starts only where such a run starts, so a regexp engine that backtracks does at
 * most a constant amount of work per input character: redaction is linear in the input.
 *
 * Look-alike characters (non-breaking and other hyphens, full-width digits and letters,
 * exotic and zero-width spaces) are folded to ASCII first, one UTF-16 unit for one, so a match
 * on the folded text replaces the same span of the original.
 *
 * Known over-redaction, accepted: 8-digit runs starting with 2 or 6 (e.g. a compact date
 * "20240504", "20 000 000 people"), 13-19 digit runs (e.g. a ms timestamp), 11 digits in a
 * row however spaced when the first six could be a date.
 */
export const REDACTION_PLACEHOLDERS = {
  iban: '[IBAN]',
  email: '[EMAIL]',
  phone: '[PHONE]',
  card: '[CARD]',
  personalCode: '[PERSONAL_CODE]',
} as const;

// IBAN: country, check digits, then 11-30 letters/digits, optionally in groups of four.
// The last partial group must end in a digit so a following short word is not swallowed.
const IBAN = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{0,3}\d)?\b/gi;

// Mailbox (at most 64, RFC 5321), "@" or "(at)" / "[at]" / "(et)", then up to 10 labels of at
// most 63. The mailbox starts where its run of characters starts (the lookbehind), so a long
// run without "@" is scanned once, not once per position.
const MAILBOX = String.raw`[\p{L}\p{N}._%+-]`;
const AT = String.raw`(?:@|\s?[(\[{<]\s?(?:at|et|@)\s?[)\]}>]\s?)`;
const DOT = String.raw`(?:\.|\s?[(\[{<]\s?(?:dot|punkts)\s?[)\]}>]\s?)`;
const LABEL = String.raw`[\p{L}\p{N}-]{1,63}`;
const EMAIL = new RegExp(String.raw`(?<!${MAILBOX})${MAILBOX}{1,64}${AT}${LABEL}(?:${DOT}${LABEL}){0,8}${DOT}\p{L}{2,24}`, 'giu');

// Latvia (+371 / 00371): exactly 8 national digits, any spacing.
const PHONE_LV_INTL = /(?<![\w+])\(?(?:\+|00) ?371\)?[ -]?[2-9](?:[ -]?\d){7}(?!\d)/g;

// Other countries: a country code and 6-12 more digits (E.164 allows 15 in all), with the
// usual separators and "(0)" / "(555)" groups.
const PHONE_INTL = /(?<![\w+])(?:\+|00)[1-9]\d{0,2}(?:[ ./()-]{0,2}\d){6,12}(?!\d)/g;

// Payment cards: 13-19 digits in one run, in groups of four (same separator), or 4-6-5 / 4-6-4.
const CARD = /(?<!\d)(?:\d{13,19}|\d{4}([ -])\d{4}\1\d{4}(?:\1\d{1,4}){1,2}|\d{4}[ -]\d{6}[ -]\d{4,5})(?!\d)/g;

// Latvian personal codes, format only (no checksum, see FACTS.md): DDMMYY-CNNNN with
// century digit 0-2, and the 2017 format 3[2-9]NNNN-NNNNN. Between any two digits: nothing,
// a space, or a hyphen or dot with optional spaces ("161175 - 19997", "1 6 1 1 7 5 1 9 9 9 7").
// The gap has one way to match each input, so a near-miss is not retried many ways.
const G = String.raw`(?: ?[-.] ?| )?`;
const spaced = (...parts: string[]) => parts.join(G);
const PERSONAL_CODE = new RegExp(
  String.raw`(?<!\d${G})(?:` +
    spaced('(?:0' + G + '[1-9]|[12]' + G + String.raw`\d|3` + G + '[01])', '(?:0' + G + '[1-9]|1' + G + '[0-2])', String.raw`\d`, String.raw`\d`, '[0-2]', String.raw`\d`, String.raw`\d`, String.raw`\d`, String.raw`\d`) +
    '|' +
    spaced('3', '[2-9]', ...Array<string>(9).fill(String.raw`\d`)) +
    String.raw`)(?!${G}\d)`,
  'g',
);

// Latvian numbers without country code: 8 digits starting with 2 (mobile) or 6 (landline),
// run together or grouped 2-3-3, 4-4, 2-2-2-2, 3-2-3, or digit by digit. Not a year range
// ("2023-2024"), not an amount ("25 000 000 EUR"), not the tail of a decimal ("0.29123456").
const PHONE_LV_LOCAL = new RegExp(
  String.raw`(?<![\p{L}\p{N}]|\d[.,]|(?:€|EUR)\s?)` +
    String.raw`(?!(?:19|20)\d\d[ -](?:19|20)\d\d(?!\d))` +
    String.raw`[26](?:\d{7}|\d[ -]\d{3}[ -]\d{3}|\d{3}[ -]\d{4}|\d[ -]\d{2}[ -]\d{2}[ -]\d{2}|\d{2}[ -]\d{2}[ -]\d{3}|(?: \d){7})` +
    String.raw`(?![\p{L}\p{N}])(?!\s?(?:€|EUR|eiro|euro))`,
  'giu',
);

// Order matters: IBANs and e-mails contain digit runs; numbers with a country code go
// before personal codes ("+37129123456" would otherwise look like a 3[2-9] code).
export const REDACTION_RULES: ReadonlyArray<readonly [RegExp, string]> = [
  [IBAN, REDACTION_PLACEHOLDERS.iban],
  [EMAIL, REDACTION_PLACEHOLDERS.email],
  [PHONE_LV_INTL, REDACTION_PLACEHOLDERS.phone],
  [PHONE_INTL, REDACTION_PLACEHOLDERS.phone],
  [CARD, REDACTION_PLACEHOLDERS.card],
  [PERSONAL_CODE, REDACTION_PLACEHOLDERS.personalCode],
  [PHONE_LV_LOCAL, REDACTION_PLACEHOLDERS.phone],
];

/** Look-alikes folded to ASCII, one UTF-16 unit for one (so indices stay the same). */
const FOLD: Record<string, string> = {};
for (const c of '\u00ad\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043\ufe58\ufe63\uff0d') FOLD[c] = '-';
for (const c of '\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\u200b\u200c\u200d\u2060\ufeff\t') FOLD[c] = ' ';
for (const [from, base] of [[0xff10, 0x30], [0x0660, 0x30], [0x06f0, 0x30], [0x0966, 0x30], [0xff21, 0x41], [0xff41, 0x61]] as const) {
  const count = base === 0x30 ? 10 : 26;
  for (let i = 0; i < count; i++) FOLD[String.fromCharCode(from + i)] = String.fromCharCode(base + i);
}
Object.assign(FOLD, { '\uff20': '@', '\uff0b': '+', '\uff0e': '.', '\uff08': '(', '\uff09': ')', '\u2024': '.', '\u3002': '.' });
const FOLD_TABLE = new Uint16Array(0x10000).map((_, i) => i);
for (const [from, to] of Object.entries(FOLD)) FOLD_TABLE[from.charCodeAt(0)] = to.charCodeAt(0);
const FOLDABLE = new RegExp(`[${Object.keys(FOLD).join('')}]`);
const UTF16 = new TextDecoder('utf-16le');

export function foldLookalikes(text: string): string {
  if (!FOLDABLE.test(text)) return text;
  const units = new Uint16Array(text.length);
  for (let i = 0; i < text.length; i++) units[i] = FOLD_TABLE[text.charCodeAt(i)]!;
  return UTF16.decode(units);
}

export function redact(text: string): string {
  let original = text;
  let folded = foldLookalikes(text);
  for (const [pattern, placeholder] of REDACTION_RULES) {
    pattern.lastIndex = 0;
    let from = 0;
    let outOriginal = '';
    let outFolded = '';
    for (let m = pattern.exec(folded); m; m = pattern.exec(folded)) {
      if (m[0].length === 0) {
        pattern.lastIndex++;
        continue;
      }
      outOriginal += original.slice(from, m.index) + placeholder;
      outFolded += folded.slice(from, m.index) + placeholder;
      from = m.index + m[0].length;
    }
    if (from === 0) continue;
    original = outOriginal + original.slice(from);
    folded = outFolded + folded.slice(from);
  }
  return original;
}
