import { extractEntities } from '../../nlu/entities';

describe('entities', () => {
  test.each([
    ['vai strādājat pirmdienā?', 'mon'],
    ['otrdienas', 'tue'],
    ['tresdien', 'wed'],
    ['open on Thursday?', 'thu'],
    ['piektdienās', 'fri'],
  ])('weekday in %s', (text, weekday) => {
    expect(extractEntities(text).weekday).toBe(weekday);
  });

  test.each([
    ['vai rīt esat atvērti?', 'tomorrow'],
    ['sodien', 'today'],
    ['are you open now', 'now'],
    ['tomorrow?', 'tomorrow'],
  ])('relative day in %s', (text, day) => {
    expect(extractEntities(text).relativeDay).toBe(day);
  });

  test.each([
    ['otrdien 17:00', 17 * 60],
    ['at 5 pm', 17 * 60],
    ['plkst. 9.30', 9 * 60 + 30],
    ['ap 3', 15 * 60],
  ])('time in %s', (text, minutes) => {
    expect(extractEntities(text).time).toBe(minutes);
  });

  test.each([
    ['izziņa manam 16 gadus vecajam dēlam', 'minor'],
    ['for my daughter', 'minor'],
    ['for my company', 'company'],
    ['par mirušo tēvu', 'deceased'],
    ['with a power of attorney for my wife', 'adult'],
    ['for myself', 'self'],
  ])('who the request is for: %s', (text, subject) => {
    expect(extractEntities(text).subject).toBe(subject);
  });

  test.each([
    ['pa pastu', 'post'],
    ['by e-mail', 'email'],
    ['faksu', 'fax'],
    ['caur latvija.lv', 'eservice'],
    ['klātienē', 'in_person'],
    // a way named to leave it out is not the way asked
    ['besides email, can I do it on the spot?', 'in_person'],
    ['vai var citādi, izņemot e-pastu, piemēram, pa pastu?', 'post'],
    ['apart from fax, is there another way?', undefined],
  ])('channel in %s', (text, channel) => {
    expect(extractEntities(text).channel).toBe(channel);
  });

  test.each([
    ['vai 18. novembrī strādājat?', { month: 11, day: 18 }],
    ['are you open on 24 December?', { month: 12, day: 24 }],
    ['open on December 23rd at 17:00?', { month: 12, day: 23 }],
    ['24.12. esat atvērti?', { month: 12, day: 24 }],
    ['2. janvaris', { month: 1, day: 2 }],
  ])('calendar day in %s', (text, date) => {
    expect(extractEntities(text).date).toEqual(date);
  });

  test('a date is not a time, and a time is not a date', () => {
    expect(extractEntities('vai 2.01. esat atvērti?').time).toBeUndefined();
    expect(extractEntities('plkst. 9.30').date).toBeUndefined();
    expect(extractEntities('december 23rd at 17:00').time).toBe(17 * 60);
  });

  test('contact kinds and the archive', () => {
    expect(extractEntities('kāds ir jūsu faksa numurs?').contactKinds).toContain('fax');
    expect(extractEntities('arhīva e-pasts').place).toBe('archive');
    expect(extractEntities('email address').contactKinds).toEqual(['email']);
  });
  test.each([
    ['dzīvoju Īrijā, kā dabūt izziņu?', true],
    ['nevaru ierasties pats, kas var saņemt manā vietā?', true],
    ['I live abroad and cannot come to Riga', true],
    ['can my mum pick it up on my behalf?', true],
    ['vai varu atnākt rīt?', false],
    ['where is the archive?', false],
  ])('the person cannot come: %s', (text, absent) => {
    const e = extractEntities(text);
    expect(e.absent === true).toBe(absent);
    // "nevaru ierasties" names coming in only to say it cannot
    if (absent) expect(e.channel).not.toBe('in_person');
  });
});
