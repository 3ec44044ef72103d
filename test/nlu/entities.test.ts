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
  ])('channel in %s', (text, channel) => {
    expect(extractEntities(text).channel).toBe(channel);
  });

  test('contact kinds and the archive', () => {
    expect(extractEntities('kāds ir jūsu faksa numurs?').contactKinds).toContain('fax');
    expect(extractEntities('arhīva e-pasts').place).toBe('archive');
    expect(extractEntities('email address').contactKinds).toEqual(['email']);
  });
});
