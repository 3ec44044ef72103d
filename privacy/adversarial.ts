import { mulberry32 } from '../nlu/random';

/** 1 MB strings built to make each redaction pattern try hard (near-misses repeated), for the test and the bench. */
export function adversarialInputs(size = 1_000_000): Array<[name: string, text: string]> {
  const fill = (unit: string) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
  const rnd = mulberry32(12);
  const alphabet = '0123456789 .-@a+()[]LV\u2011\uff11';
  const noise = Array.from({ length: size }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join('');
  return [
    ['letters (e-mail mailbox run)', fill('a')],
    ['dotted letters (e-mail)', fill('a.')],
    ['a@ repeated (e-mail)', fill('a@')],
    ['a@a. repeated (e-mail)', fill('a@a.')],
    ['x@ then labels (e-mail domain)', 'x@' + fill('a.').slice(2)],
    ['(at) repeated (e-mail)', fill('a(at)')],
    ['hyphens after @ (e-mail)', fill('@a-')],
    ['+1 repeated (international phone)', fill('+1 ')],
    ['+371 2 repeated (Latvian phone)', fill('+371 2')],
    ['00 repeated (international phone)', fill('00')],
    ['digits (card, personal code)', fill('1')],
    ['groups of four (card)', fill('1111 ')],
    ['spaced digits (personal code)', fill('1 ')],
    ['hyphenated digits (personal code)', fill('1-')],
    ['date-like groups (personal code)', fill('010101 - ')],
    ['IBAN prefixes', fill('LV80')],
    ['IBAN groups', fill('LV80 BANK ')],
    ['2 and space (local phone)', fill('2 ')],
    ['EUR 2 (local phone)', fill('EUR 2')],
    ['non-breaking hyphens', fill('1\u2011')],
    ['full-width digits', fill('\uff11')],
    ['random symbols and digits', noise],
  ];
}
