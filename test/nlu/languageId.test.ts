import { identifyLanguage } from '../../nlu/languageId';

// the models' vocabulary left out (even shares): only the letters and the detector decide
const even = () => 0.5;

describe('language of a message', () => {
  test('Latvian letters decide Latvian', () => {
    expect(identifyLanguage('Kur atrodas Čiekurkalna arhīvs?', 'en', even).lang).toBe('lv');
    expect(identifyLanguage('Vai Rīgā var saņemt izziņu?', 'en', even).lang).toBe('lv');
  });

  test('a Latvian place name in an English sentence does not make it Latvian, whatever letter it starts or ends with', () => {
    for (const text of [
      'Is the archive department on Čiekurkalna open on Fridays?',
      'Is the office at Bruņinieku iela open today?',
      'I live in Rīgā, where do I go?',
      'Can I hand it in at Ķīpsala or in Jūrmala instead?',
    ]) expect([text, identifyLanguage(text, 'lv', even).lang]).toEqual([text, 'en']);
  });
});
