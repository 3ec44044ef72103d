import { ComponentDialog, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import { DialogTestClient } from 'botbuilder-testing';
import { createConfirmPrompt, GuideChoicePrompt, type GuidePromptOptions } from '../../dialogs/prompts';

/** A one-question dialog around a prompt, driven by botbuilder-testing's DialogTestClient. */
class Ask extends ComponentDialog {
  constructor(prompt: 'choice' | 'confirm', lang: 'lv' | 'en') {
    super('ask');
    this.addDialog(prompt === 'choice' ? new GuideChoicePrompt('p') : createConfirmPrompt('p'));
    this.addDialog(new WaterfallDialog('w', [
      async (step: WaterfallStepContext) => step.prompt('p', prompt === 'choice'
        ? { prompt: lang === 'lv' ? 'Kā iesniegsiet?' : 'How will you submit?', choices: [{ value: 'Klātienē' }, { value: 'Pa pastu' }, { value: 'Pa faksu' }], validations: { lang, slot: 'channel' } } as GuidePromptOptions
        : { prompt: 'Vai turpināt?' }),
      async (step: WaterfallStepContext) => {
        await step.context.sendActivity(`atbilde: ${JSON.stringify((step.result as { value?: string })?.value ?? step.result)}`);
        return step.endDialog();
      },
    ]));
    this.initialDialogId = 'w';
  }
}

describe('prompts with Latvian defaults (DialogTestClient)', () => {
  test('a choice list on a channel without buttons reads "… vai …" in Latvian', async () => {
    const client = new DialogTestClient('sms', new Ask('choice', 'lv'));
    const reply = await client.sendActivity('sveiki');
    expect(reply.text).toBe('Kā iesniegsiet? (1) Klātienē, (2) Pa pastu vai (3) Pa faksu');
    expect((await client.sendActivity('2')).text).toBe('atbilde: "Pa pastu"');
  });

  test('the same prompt in English, even when the browser says lv-LV', async () => {
    const client = new DialogTestClient('sms', new Ask('choice', 'en'));
    expect((await client.sendActivity({ type: 'message', text: 'hi', locale: 'lv-LV' } as never)).text).toBe('How will you submit? (1) Klātienē, (2) Pa pastu, or (3) Pa faksu');
  });

  test('a yes/no question offers "Jā" and "Nē" in Latvian and understands them', async () => {
    const client = new DialogTestClient('sms', new Ask('confirm', 'lv'));
    const reply = await client.sendActivity({ type: 'message', text: 'sveiki', locale: 'lv-LV' } as never);
    expect(reply.text).toBe('Vai turpināt? (1) Jā vai (2) Nē');
    expect((await client.sendActivity({ type: 'message', text: 'jā', locale: 'lv-LV' } as never)).text).toBe('atbilde: true');
  });
});
