import { latvian } from '../../nlu/lv';
import { stemLatvian } from '../../nlu/lv/stemmer';

const stem = (word: string) => stemLatvian(latvian.normalize(word));

describe('Latvian light stemmer on folded text', () => {
  // word forms that must meet: each row is one lexeme in several cases / numbers / spellings
  test.each([
    [['izziņa', 'izziņu', 'izziņas', 'izziņai', 'izziņām', 'izzina', 'izzinu', 'izziņ'], 'izzin'],
    [['sodāmība', 'sodāmību', 'sodāmības', 'sodamibas', 'sodaamiibas', 'sodāmībai'], 'sodamib'],
    [['reģistrs', 'reģistrā', 'reģistru', 'registra', 'reģistram'], 'registr'],
    [['pirmdien', 'pirmdiena', 'pirmdienā', 'pirmdienās', 'pirmdienas'], 'pirmdien'],
    [['adrese', 'adresi', 'adreses', 'adresē'], 'adres'],
    [['dokuments', 'dokumentu', 'dokumenti', 'dokumentiem', 'dokumentus'], 'dokument'],
    [['pieņemšanas', 'pieņemšana', 'pieņemšanu'], 'pienemsan'],
    [['arhīvs', 'arhīva', 'arhīvā', 'arhīvu'], 'arhiv'],
  ])('%j -> %s', (forms, expected) => {
    for (const form of forms) expect([form, stem(form)]).toEqual([form, expected]);
  });

  test.each([
    ['usa', 'usa'],        // Lucene: too short to strip
    ['60ms', '60ms'],      // Lucene: no vowels to spare
    ['un', 'un'],
    ['zemju', 'zem'],      // p/b/m/v + j loses the j
  ])('%s -> %s', (word, expected) => {
    expect(stem(word)).toBe(expected);
  });

  test('normalization folds diacritics and doubled vowels and lowercases', () => {
    expect(latvian.normalize('SODĀMĪBAS Izziņa')).toBe('sodamibas izzina');
    expect(latvian.normalize('sodaamiibas')).toBe('sodamibas');
  });
});
