import { redact } from '../../storage/redact';
import { REDACTION_RULES } from '../../privacy/redact';
import { adversarialInputs } from '../../privacy/adversarial';

// [input, expected]
const positives: Array<[string, string]> = [
  // Latvian personal codes: old DDMMYY-CNNNN and new 3[2-9]NNNN-NNNNN, format only
  ['Mans personas kods ir 161175-19997.', 'Mans personas kods ir [PERSONAL_CODE].'],
  ['pk 16117519997', 'pk [PERSONAL_CODE]'],
  ['p.k.: 290156-11605, lūdzu', 'p.k.: [PERSONAL_CODE], lūdzu'],
  ['kods 290156 11605', 'kods [PERSONAL_CODE]'],
  ['180565-05611 (nepareizs kontrolcipars)', '[PERSONAL_CODE] (nepareizs kontrolcipars)'],
  ['dzimis 2005: 010105-20001', 'dzimis 2005: [PERSONAL_CODE]'],
  ['jaunais kods 321234-56789', 'jaunais kods [PERSONAL_CODE]'],
  ['32123456789', '[PERSONAL_CODE]'],
  ['kods 391111–22222', 'kods [PERSONAL_CODE]'],
  // Latvian phones with country code
  ['Zvaniet +371 67219111', 'Zvaniet [PHONE]'],
  ['+37129123456', '[PHONE]'],
  ['+371-29123456', '[PHONE]'],
  ['00371 2912 3456', '[PHONE]'],
  ['(+371) 29-123-456', '[PHONE]'],
  ['+371 67 21 91 11.', '[PHONE].'],
  // Latvian phones without country code: 8 digits starting with 2 or 6
  ['tel. 29 123 456', 'tel. [PHONE]'],
  ['tālr.: 2912 3456', 'tālr.: [PHONE]'],
  ['mob 29123456', 'mob [PHONE]'],
  ['tel.26554433', 'tel.[PHONE]'],
  ['zvaniet uz 67 21 91 11', 'zvaniet uz [PHONE]'],
  ['mans nr ir 29-123-456!', 'mans nr ir [PHONE]!'],
  ['Centra tālrunis 67219111', 'Centra tālrunis [PHONE]'], // decided: the Centre's number too
  // other countries
  ['+44 20 7946 0958', '[PHONE]'],
  ['call me at +1 (555) 123-4567 please', 'call me at [PHONE] please'],
  ['+49 30 1234567', '[PHONE]'],
  ['0049 30 12345678', '[PHONE]'],
  ['+44 (0)20 7946 0958 in 2024', '[PHONE] in 2024'],
  ['+7 912 345-67-89', '[PHONE]'],
  ['+370 612 34567', '[PHONE]'],
  // e-mail
  ['janis.berzins@inbox.lv', '[EMAIL]'],
  ['raksti: Ā.Bērziņš@pasts.lv.', 'raksti: [EMAIL].'],
  ['anna+iem@gmail.com, paldies', '[EMAIL], paldies'],
  ['e-pasts janis29123456@inbox.lv', 'e-pasts [EMAIL]'],
  // payment cards (Luhn not required)
  ['4111 1111 1111 1111', '[CARD]'],
  ['karte 4111-1111-1111-1111.', 'karte [CARD].'],
  ['4111111111111111', '[CARD]'],
  ['1234 5678 9012 3456', '[CARD]'],
  ['Amex 3782 822463 10005', 'Amex [CARD]'],
  ['6011 0000 0000 0000 004', '[CARD]'],
  ['5555555555554444 ', '[CARD] '],
  // IBAN
  ['LV80BANK0000435195001', '[IBAN]'],
  ['konts LV80 BANK 0000 4351 9500 1, paldies', 'konts [IBAN], paldies'],
  ['lv80bank0000435195001 un', '[IBAN] un'],
  ['DE89 3704 0044 0532 0130 00', '[IBAN]'],
  ['GB29 NWBK 6016 1331 9268 19', '[IBAN]'],
  ['NO93 8601 1117 947', '[IBAN]'],
  // look-alikes and spacing (issue 12)
  ['pk 161175\u201119997', 'pk [PERSONAL_CODE]'],
  ['pk 161175\u201019997', 'pk [PERSONAL_CODE]'],
  ['pk \uff11\uff16\uff11\uff11\uff17\uff15-\uff11\uff19\uff19\uff19\uff17', 'pk [PERSONAL_CODE]'],
  ['kods 1 6 1 1 7 5 1 9 9 9 7.', 'kods [PERSONAL_CODE].'],
  ['kods 161175 - 19997', 'kods [PERSONAL_CODE]'],
  ['kods 16 11 75 19997', 'kods [PERSONAL_CODE]'],
  ['kods 161175\u200b19997', 'kods [PERSONAL_CODE]'],
  ['tel. 2 9 1 2 3 4 5 6', 'tel. [PHONE]'],
  ['tel. \uff12\uff19\uff11\uff12\uff13\uff14\uff15\uff16', 'tel. [PHONE]'],
  ['+371\u00a029\u2011123\u2011456', '[PHONE]'],
  ['raksti janis(at)example.lv', 'raksti [EMAIL]'],
  ['raksti janis [at] example [dot] lv', 'raksti [EMAIL]'],
  ['janis\uff20inbox.lv', '[EMAIL]'],
  // several in one message
  [
    'Esmu Jānis, pk 161175-19997, tel. 29123456, e-pasts janis@inbox.lv, konts LV80BANK0000435195001.',
    'Esmu Jānis, pk [PERSONAL_CODE], tel. [PHONE], e-pasts [EMAIL], konts [IBAN].',
  ],
];

// Must come out unchanged.
const negatives: string[] = [
  'Darba laiks 10:00-13:00',
  'laiks 8:30–17:00, pusdienas 12.00–12.30',
  'darba dienās 8.30-17.00',
  'datums 2024-05-04',
  '2024-05-04T10:00:00Z',
  '04.05.2024',
  'no 2024. gada 1. jūlija',
  '2023-2024',
  '2019-2024 gadā',
  'LV-1009 Rīga',
  'LV-3601 Ventspils',
  'LV1009',
  'Maksa 25,50 EUR',
  'maksa 7,11 EUR',
  'budžets 25 000 000 EUR',
  '€ 20 000 000',
  '20 000 000 eiro',
  '1 234 567,89',
  'Reģ. nr. 90000070563',
  'MK noteikumi Nr. 445 (14.07.2020)',
  'likumi.lv id 72608',
  'iesniegums Nr. 1-12/345',
  'Ziemeļu iela 12-5',
  'Čiekurkalna 1. līnija 1, k-2',
  'versija 3.2.1',
  '0.29123456',
  '3,14159265',
  'ISO 8601',
  'tel. 112',
  '8 darba dienas',
  'pieteikumu skaits 123456',
  '5 darba dienu laikā, 30 dienas',
  'Sveiki! Kā varu palīdzēt?',
];

describe('redact', () => {
  test.each(positives)('%j', (input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  test.each(negatives.map((s) => [s]))('leaves %j alone', (input) => {
    expect(redact(input)).toBe(input);
  });

  test('is idempotent', () => {
    for (const [input] of positives) expect(redact(redact(input))).toBe(redact(input));
  });

  test('known, accepted over-redaction (documented in redact.ts)', () => {
    expect(redact('20240504')).toBe('[PHONE]'); // compact date looks like a mobile number
    expect(redact('1716800000000')).toBe('[CARD]'); // a 13-digit run
  });
});

describe('redaction does bounded work (times: npm run bench -- redact)', () => {
  /** The pattern's text without escapes and character classes: what is left holds its quantifiers. */
  const quantifiers = (source: string) => source.replace(/\\./g, 'x').replace(/\[[^\]]*\]/g, 'x');

  test.each(REDACTION_RULES.map(([re, placeholder]) => [placeholder, re]))('%s: every quantifier has an upper bound', (_name, re) => {
    const rest = quantifiers((re as RegExp).source);
    expect(rest).not.toMatch(/[*+]|\{\d+,\}/);
  });

  test.each(adversarialInputs().map(([name, text]) => [name, text]))('1 MB of %s: redacted whole, no match longer than 400 characters', (_name, text) => {
    expect(text.length).toBe(1_000_000);
    const out = redact(text);
    expect(out.length).toBeLessThanOrEqual(text.length);
    for (const [re] of REDACTION_RULES) {
      re.lastIndex = 0;
      for (let m = re.exec(text); m; m = re.exec(text)) expect(m[0].length).toBeLessThanOrEqual(400);
    }
  });
});
