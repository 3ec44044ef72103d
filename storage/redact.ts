/**
 * Replaces personal data in free text with neutral placeholders before it is stored or
 * logged. Tuned for recall: a false positive costs a word in a transcript, a miss leaks a
 * person's data. Every phone number is redacted, the Centre's own included (bot answers
 * can be re-created from the knowledge files, so nothing is lost).
 *
 * Known over-redaction, accepted: 8-digit runs starting with 2 or 6 (e.g. a compact date
 * "20240504", "20 000 000 people"), 13-19 digit runs (e.g. a ms timestamp).
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

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;

// Latvia (+371 / 00371): exactly 8 national digits, any spacing.
const PHONE_LV_INTL = /(?<![\w+])\(?(?:\+|00) ?371\)?[ -]?[2-9](?:[ -]?\d){7}(?!\d)/g;

// Other countries: a country code and 6-12 more digits (E.164 allows 15 in all), with the
// usual separators and "(0)" / "(555)" groups.
const PHONE_INTL = /(?<![\w+])(?:\+|00)[1-9]\d{0,2}(?:[ ./()-]{0,2}\d){6,12}(?!\d)/g;

// Payment cards: 13-19 digits in one run, in groups of four (same separator), or 4-6-5 / 4-6-4.
const CARD = /(?<!\d)(?:\d{13,19}|\d{4}([ -])\d{4}\1\d{4}(?:\1\d{1,4}){1,2}|\d{4}[ -]\d{6}[ -]\d{4,5})(?!\d)/g;

// Latvian personal codes, format only (no checksum, see FACTS.md): DDMMYY-CNNNN with
// century digit 0-2, and the 2017 format 3[2-9]NNNN-NNNNN; hyphen, dash, space or nothing.
const PERSONAL_CODE =
  /(?<!\d)(?:(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])\d{2}[-\u2010\u2013 \u00a0]?[0-2]\d{4}|3[2-9]\d{4}[-\u2010\u2013 \u00a0]?\d{5})(?!\d)/g;

// Latvian numbers without country code: 8 digits starting with 2 (mobile) or 6 (landline),
// run together or grouped 2-3-3, 4-4, 2-2-2-2, 3-2-3. Not a year range ("2023-2024"),
// not an amount ("25 000 000 EUR"), not the tail of a decimal ("0.29123456").
const PHONE_LV_LOCAL = new RegExp(
  String.raw`(?<![\p{L}\p{N}]|\d[.,]|(?:€|EUR)\s?)` +
    String.raw`(?!(?:19|20)\d\d[ -](?:19|20)\d\d(?!\d))` +
    String.raw`[26](?:\d{7}|\d[ -]\d{3}[ -]\d{3}|\d{3}[ -]\d{4}|\d[ -]\d{2}[ -]\d{2}[ -]\d{2}|\d{2}[ -]\d{2}[ -]\d{3})` +
    String.raw`(?![\p{L}\p{N}])(?!\s?(?:€|EUR|eiro|euro))`,
  'giu',
);

// Order matters: IBANs and e-mails contain digit runs; numbers with a country code go
// before personal codes ("+37129123456" would otherwise look like a 3[2-9] code).
const RULES: Array<[RegExp, string]> = [
  [IBAN, REDACTION_PLACEHOLDERS.iban],
  [EMAIL, REDACTION_PLACEHOLDERS.email],
  [PHONE_LV_INTL, REDACTION_PLACEHOLDERS.phone],
  [PHONE_INTL, REDACTION_PLACEHOLDERS.phone],
  [CARD, REDACTION_PLACEHOLDERS.card],
  [PERSONAL_CODE, REDACTION_PLACEHOLDERS.personalCode],
  [PHONE_LV_LOCAL, REDACTION_PLACEHOLDERS.phone],
];

export function redact(text: string): string {
  let out = text;
  for (const [pattern, placeholder] of RULES) out = out.replace(pattern, placeholder);
  return out;
}
