import type { TurnContext } from 'botbuilder';
import { ChoicePrompt, ConfirmPrompt, type ChoiceFactoryOptions, type PromptOptions, type PromptValidator, type FoundChoice } from 'botbuilder-dialogs';
import type { Lang } from '../nlu/languagePack';

/** botbuilder's prompts know no Latvian: these are the separators of an inline list of choices. */
export const CHOICE_OPTIONS: Record<Lang, ChoiceFactoryOptions> = {
  lv: { inlineSeparator: ', ', inlineOr: ' vai ', inlineOrMore: ' vai ', includeNumbers: true },
  en: { inlineSeparator: ', ', inlineOr: ' or ', inlineOrMore: ', or ', includeNumbers: true },
};

export const CONFIRM_CHOICES: Record<Lang, string[]> = { lv: ['Jā', 'Nē'], en: ['Yes', 'No'] };

/** What a guide passes to its prompt besides the text and choices. */
export interface GuidePromptOptions extends PromptOptions {
  validations: { lang: Lang; slot: string };
}

/**
 * A ChoicePrompt that lists its choices in the conversation's language rather than in the
 * browser's locale (a Latvian speaker's browser may well say en-US).
 */
export class GuideChoicePrompt extends ChoicePrompt {
  constructor(dialogId: string, validator?: PromptValidator<FoundChoice>) {
    super(dialogId, validator, 'lv-lv', { 'lv-lv': CHOICE_OPTIONS.lv, lv: CHOICE_OPTIONS.lv, 'en-us': CHOICE_OPTIONS.en });
  }

  protected override async onPrompt(context: TurnContext, state: object, options: PromptOptions, isRetry: boolean): Promise<void> {
    const lang = (options as GuidePromptOptions).validations?.lang ?? 'lv';
    this.choiceOptions = CHOICE_OPTIONS[lang];
    return super.onPrompt(context, state, options, isRetry);
  }
}

/** A yes/no prompt with Latvian defaults. */
export function createConfirmPrompt(dialogId: string, validator?: PromptValidator<boolean>): ConfirmPrompt {
  return new ConfirmPrompt(dialogId, validator, 'lv-lv', {
    'lv-lv': { choices: CONFIRM_CHOICES.lv, options: CHOICE_OPTIONS.lv },
    lv: { choices: CONFIRM_CHOICES.lv, options: CHOICE_OPTIONS.lv },
    'en-us': { choices: CONFIRM_CHOICES.en, options: CHOICE_OPTIONS.en },
  });
}
