import type { Answer } from '../../bot/answer';
import { renderAnswer } from '../../bot/render/render';

const answer: Answer = {
  title: 'Pieņemšanas laiks',
  text: 'Dokumentu iesniegšana klātienē:',
  facts: [{ title: 'Pirmdiena', value: '9.00–11.00, 13.00–16.00' }],
  items: ['Sestdienās slēgts.'],
  links: [{ title: 'Latvija.lv', url: 'https://www.latvija.lv' }],
  choices: [{ title: 'Adrese', value: 'address' }, { title: 'Izziņa par fiziskas personas sodāmību pa pastu', value: 'criminal_record_request' }],
};

describe('one answer, rendered per channel', () => {
  test.each(['webchat', 'directline', 'emulator'])('%s: markdown text and suggested actions', (channel) => {
    const a = renderAnswer(answer, channel);
    expect(a.textFormat).toBe('markdown');
    expect(a.text).toContain('**Pirmdiena:** 9.00–11.00, 13.00–16.00');
    expect(a.text).toContain('[Latvija.lv](https://www.latvija.lv)');
    expect(a.suggestedActions?.actions.map((x) => x.value)).toEqual(['Adrese', 'Izziņa par fiziskas personas sodāmību pa pastu']);
    expect(a.attachments).toBeUndefined();
  });

  test('msteams: choices as hero card buttons (Teams shows no suggested actions)', () => {
    const a = renderAnswer(answer, 'msteams');
    expect(a.suggestedActions).toBeUndefined();
    expect(a.attachments?.[0]?.contentType).toBe('application/vnd.microsoft.card.hero');
    expect((a.attachments?.[0]?.content as { buttons: unknown[] }).buttons).toHaveLength(2);
  });

  test('telegram: suggested actions with short titles, the full title as the value', () => {
    const a = renderAnswer(answer, 'telegram');
    const actions = a.suggestedActions!.actions;
    for (const x of actions) expect(x.title.length).toBeLessThanOrEqual(30);
    expect(actions[1]!.value).toBe('Izziņa par fiziskas personas sodāmību pa pastu');
  });

  test('an unknown channel: short choices such as a 1-5 rating stand on one line', () => {
    const rating: Answer = { text: 'Kā jūs novērtētu?', choices: ['1', '2', '3', '4', '5', 'Izlaist'].map((t) => ({ title: t, value: t })) };
    expect(renderAnswer(rating, 'sms').text).toBe('Kā jūs novērtētu?\n\n1 | 2 | 3 | 4 | 5 | Izlaist');
  });

  test('an unknown channel: plain text with numbered choices', () => {
    const a = renderAnswer(answer, 'sms');
    expect(a.textFormat).toBe('plain');
    expect(a.text).not.toContain('**');
    expect(a.text).toContain('1. Adrese');
    expect(a.text).toContain('Latvija.lv: https://www.latvija.lv');
    expect(a.suggestedActions).toBeUndefined();
  });
});
