import { english } from '../../nlu/en';
import { foldDiacritics, tokenize } from '../../nlu/text';
import { editDistance, TypoCorrector } from '../../nlu/typo';
import { detectLanguageSwitch } from '../../nlu/languageSwitch';

describe('text stages', () => {
  test('tokenizes on Unicode letters, keeping Latvian words whole', () => {
    expect(tokenize('Kur ir izziņa? (Bruņinieku 72B)')).toEqual(['Kur', 'ir', 'izziņa', 'Bruņinieku', '72B']);
  });

  test('folds every Latvian letter', () => {
    expect(foldDiacritics('āčēģīķļņšūž')).toBe('acegiklnsuz');
  });

  test.each([
    ["what's your address", 'what is your address'],
    ["I'd like a certificate", 'i would like a certificate'],
    ["don't know", 'do not know'],
    ['dont know', 'do not know'],
    ["can't come", 'can not come'],
    ['I’m abroad', 'i am abroad'],
  ])('English contractions: %s', (input, expected) => {
    expect(english.normalize(input)).toBe(expected);
  });
});

describe('typo correction', () => {
  const corrector = new TypoCorrector(['izzina', 'sodamibas', 'adrese', 'darba', 'laiks', 'fakss'], new Map([['darba', 5]]));

  test.each([
    ['izzinna', 'izzina'],      // insertion
    ['sodamibs', 'sodamibas'],  // deletion
    ['adrsee', 'adrese'],       // transposition
    ['laiks', 'laiks'],         // known word stays
  ])('%s -> %s', (typo, expected) => {
    expect(corrector.correct(typo)).toBe(expected);
  });

  test('short words are not "corrected" into other words', () => {
    expect(corrector.correct('par')).toBeUndefined();
    expect(corrector.correct('zzzzzzzz')).toBeUndefined();
  });

  test('edit distance counts an adjacent swap as one edit', () => {
    expect(editDistance('adrese', 'adrsee')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});

describe('explicit language switch', () => {
  test.each([
    ['English please', 'en'],
    ['can we speak english?', 'en'],
    ['angliski lūdzu', 'en'],
    ['latviski', 'lv'],
    ['Runājiet latviski!', 'lv'],
    ['in Latvian please', 'lv'],
  ])('%s -> %s', (text, lang) => {
    expect(detectLanguageSwitch(text)).toBe(lang);
  });

  test.each([
    'Can I get the certificate translated into English for my employer abroad?',
    'kur jūs atrodaties',
    'english latviski',
  ])('not a switch: %s', (text) => {
    expect(detectLanguageSwitch(text)).toBeUndefined();
  });
});
