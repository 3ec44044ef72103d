import { mkdtempSync, cpSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestAdapter, type Activity } from 'botbuilder';
import { createCore } from '../../server/assistant';
import { createLogger } from '../../server/logger';
import { KNOWLEDGE_DIR } from '../../server/paths';
import { conversation, replyText, sharedRecognizer } from '../support/testBot';

const CHECKLIST = ['izziņa par sodāmību dēlam', 'pa pastu'];

async function checklistOn(channelId: string): Promise<Array<Partial<Activity>>> {
  const convo = conversation({ channelId, now: '2026-11-26T09:30:00Z' });
  await convo.say(CHECKLIST[0]!);
  return convo.say(CHECKLIST[1]!);
}

type Card = { type: string; version: string; body: Array<{ type: string; text?: string }>; actions?: Array<{ type: string; title: string }> };
const cardOf = (a: Partial<Activity>) => a.attachments?.find((x) => x.contentType === 'application/vnd.microsoft.card.adaptive')?.content as Card | undefined;

describe('one checklist, rendered per channel', () => {
  test.each(['webchat', 'directline', 'emulator'])('%s: an Adaptive Card 1.5 with the steps, documents and rules', async (channel) => {
    const [reply] = await checklistOn(channel);
    const card = cardOf(reply!)!;
    expect(card.version).toBe('1.5');
    const texts = card.body.map((b) => b.text ?? '').join('\n');
    // the steps are one numbered markdown list, so that a renderer numbers them 1, 2, 3
    const steps = card.body.find((b) => b.text?.startsWith('1. '))!.text!.split('\r');
    expect(steps[0]).toBe('1. Nosūtiet pieprasījumu un dokumentus pa pastu uz adresi: Bruņinieku iela 72B, Rīga, LV-1009.');
    expect(steps[1]).toMatch(/^2\. Piezvaniet pa tālruni .*, lai uzzinātu, vai dokumenti ir saņemti/);
    expect(texts).toContain('- maksājuma uzdevuma oriģināls');
    expect(texts).toContain('vecāki vai aizbildņi');
    expect(texts).toContain('**Kur:** Bruņinieku iela 72B, Rīga, LV-1009');
  });

  test('msteams: the same Adaptive Card; choices as card buttons', async () => {
    const [reply] = await checklistOn('msteams');
    expect(cardOf(reply!)?.version).toBe('1.5');
    const convo = conversation({ channelId: 'msteams' });
    const [menu] = await convo.say('palīdzība');
    expect(menu!.suggestedActions).toBeUndefined();
    expect(menu!.attachments?.[0]?.contentType).toBe('application/vnd.microsoft.card.hero');
  });

  test('telegram: no Adaptive Card; numbered steps as text with the same content, short buttons', async () => {
    const [reply] = await checklistOn('telegram');
    expect(cardOf(reply!)).toBeUndefined();
    expect(reply!.text).toContain('1. Nosūtiet pieprasījumu un dokumentus pa pastu');
    expect(reply!.text).toMatch(/2\. Piezvaniet pa tālruni .*, lai uzzinātu, vai dokumenti ir saņemti/);
    expect(reply!.text).toContain('maksājuma uzdevuma oriģināls');
    expect(reply!.text).toContain('vecāki vai aizbildņi');
    const convo = conversation({ channelId: 'telegram' });
    const [menu] = await convo.say('palīdzība');
    for (const action of menu!.suggestedActions!.actions) expect(action.title.length).toBeLessThanOrEqual(30);
  });

  test('an unknown channel: plain text, numbered choices answerable by number', async () => {
    const [reply] = await checklistOn('sms');
    expect(reply!.textFormat).toBe('plain');
    expect(reply!.text).not.toContain('**');
    expect(reply!.text).toContain('1. Nosūtiet pieprasījumu');
  });
});

describe('channel specifics', () => {
  test('Teams: the @mention is stripped before understanding', async () => {
    const convo = conversation({ channelId: 'msteams' });
    const replies: Array<Partial<Activity>> = [];
    convo.adapter.activeQueue.splice(0);
    await convo.adapter.receiveActivity({
      type: 'message', text: '<at>IeM IC</at> kur jūs atrodaties?',
      entities: [{ type: 'mention', text: '<at>IeM IC</at>', mentioned: { id: 'bot', name: 'IeM IC' } }],
      recipient: { id: 'bot', name: 'IeM IC' },
    } as Partial<Activity>);
    replies.push(...convo.adapter.activeQueue.splice(0));
    expect(replyText(replies)).toContain('Bruņinieku iela 72B');
  });

  test('Teams: a greeting when the app is installed', async () => {
    const convo = conversation({ channelId: 'msteams' });
    convo.adapter.activeQueue.splice(0);
    await convo.adapter.receiveActivity({ type: 'installationUpdate', action: 'add' } as Partial<Activity>);
    expect(replyText(convo.adapter.activeQueue.splice(0))).toContain('Labdien! Esmu Iekšlietu ministrijas Informācijas centra virtuālais asistents');
  });

  test('Telegram: /start greets', async () => {
    const convo = conversation({ channelId: 'telegram', locale: 'en-US' });
    expect(replyText(await convo.say('/start'))).toContain('I am the virtual assistant');
  });

  test('the web page\'s language switch event sticks', async () => {
    const convo = conversation({ channelId: 'webchat' });
    convo.adapter.activeQueue.splice(0);
    await convo.adapter.receiveActivity({ type: 'event', name: 'setLanguage', value: 'en' } as Partial<Activity>);
    expect(replyText(convo.adapter.activeQueue.splice(0))).toContain("let's continue in English");
    expect(replyText(await convo.say('kur jūs atrodaties?'))).toContain("The Centre's address");
  });
});

describe('staff notices', () => {
  test('a valid notice shows at the start of a conversation and with the hours; an expired one does not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'notices-'));
    cpSync(KNOWLEDGE_DIR, dir, { recursive: true });
    writeFileSync(join(dir, 'notices.json'), JSON.stringify({
      notices: [
        { id: 'closed-friday', from: '2026-11-20', to: '2026-11-27', scope: ['hours', 'start'],
          text: { lv: 'Piektdien, 27. novembrī, klientus nepieņemam.', en: 'On Friday 27 November we do not receive clients.' },
          scheduleOverride: { scheduleId: 'certificate_reception', date: '2026-11-27', intervals: [] } },
        { id: 'old', from: '2026-01-01', to: '2026-01-31', scope: ['hours', 'start'], text: { lv: 'Veca ziņa.', en: 'Old news.' } },
      ],
    }));
    const core = createCore({ logger: createLogger('silent'), recognizer: sharedRecognizer(), knowledgeDir: dir, clock: () => new Date('2026-11-26T09:30:00Z') });
    const adapter = new TestAdapter(async (ctx) => core.bot.run(ctx), { channelId: 'webchat', locale: 'lv-LV' } as Partial<Activity>);
    await adapter.receiveActivity({ type: 'conversationUpdate', membersAdded: [{ id: 'user1' }], recipient: { id: 'bot' } } as Partial<Activity>);
    const welcome = replyText(adapter.activeQueue.splice(0));
    expect(welcome).toContain('Piektdien, 27. novembrī, klientus nepieņemam.');
    expect(welcome).not.toContain('Veca ziņa');
    await adapter.receiveActivity({ type: 'message', text: 'vai rīt strādājat?' } as Partial<Activity>);
    const hours = replyText(adapter.activeQueue.splice(0));
    expect(hours).toMatch(/rīt ir slēgts, pieņemšanas nav/i);
    expect(hours).toContain('klientus nepieņemam');
  });
});
