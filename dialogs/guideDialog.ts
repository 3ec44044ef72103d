import { ComponentDialog, Dialog, DialogContext, ListStyle, WaterfallDialog, type DialogTurnResult, type FoundChoice, type PromptValidatorContext, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { Answer, Choice } from '../bot/answer';
import { sendAnswer } from '../bot/reply';
import { channelProfile } from '../bot/render/channels';
import type { Localized } from '../knowledge/schema';
import type { Messages } from '../locales/i18n';
import { OUT_OF_SCOPE, type Intent } from '../nlu/intents';
import type { Entities } from '../nlu/entities';
import type { Lang } from '../nlu/languagePack';
import { foldDiacritics, nfcLower } from '../nlu/text';
import type { AnswerBook } from './answers';
import { GuideChoicePrompt, type GuidePromptOptions } from './prompts';
import { UNDERSTANDING, type TurnUnderstanding } from './understanding';

const FLOW = 'flow';
const PROMPT = 'choice';
/** Returned by the prompt's validator when the answer was unclear twice: the guide stops politely. */
const UNCLEAR = '__unclear__';

/** One question of a guide: the slot it fills and how free text maps to its options. */
export interface Question<V extends string = string> {
  slot: string;
  ask: string;                 // locale key of the question
  options: Array<{ value: V; label: Localized }>;
  /** Free text to an option ("for my son" -> minor), in either language, with or without diacritics. */
  extract(text: string): V | undefined;
}

export interface GuideState {
  slots: Record<string, string>;
  /** Slots in the order the user answered them, so "back" knows which to forget. */
  answered: string[];
  asking?: string;
}

export interface GuideDeps {
  messages: Messages;
  answers: AnswerBook;
}

type Command = 'cancel' | 'back' | 'restart' | 'help';

const COMMANDS: Array<[RegExp, Command]> = [
  [/^(atcelt|atcel|atcelu|partraukt|beigt|stop|cancel|quit|exit|nevajag|vairs nevajag|never mind|forget it)$/, 'cancel'],
  [/^(atpakal|iepriekseja\w*|uz iepriekse\w*|back|go back|previous)$/, 'back'],
  [/^(sakt no jauna|sakt no sakuma|no sakuma|sakam no jauna|no jauna|start over|start again|restart|begin again)$/, 'restart'],
  [/^(palidziba|palidzi|palidzet|help|\?|ko man darit|what do i do|what should i do)$/, 'help'],
];

/** A question, by its first word or its question mark. */
function asksSomething(text: string): boolean {
  return text.trim().endsWith('?') || QUESTION.test(simple(text));
}
/** A question rather than an answer: a question word first, or a question mark with a question word. */
const QUESTION = /^(kas|kam|ka|kads|kada|kadi|kadu|kur|kad|cik|kapec|vai|what|whats|where|when|which|who|how|why|can|could|may|is|are|do|does)\b|\b(kads|kada|what|where|which)\b.*\?$/;

const simple = (text: string) => foldDiacritics(nfcLower(text)).replace(/[^\p{L}\p{N}?]+/gu, ' ').trim();

export function guideCommand(text: string): Command | undefined {
  const s = simple(text).replace(/\s*(ludzu|please)$/, '');
  return COMMANDS.find(([re]) => re.test(s))?.[1];
}

/**
 * A guided flow that fills its questions' slots one at a time, skipping those already known, and
 * lets the user say "back", "start over", "cancel" or "help" at any step, or ask a side
 * question, after which the guide asks its question again.
 */
export abstract class GuideDialog extends ComponentDialog {
  protected abstract readonly questions: Question[];
  /** Intents that are this guide's own subject: they never count as a side question. */
  protected abstract readonly ownIntents: Intent[];

  constructor(id: string, protected readonly deps: GuideDeps) {
    super(id);
    this.addDialog(new GuideChoicePrompt(PROMPT, (p) => this.validate(p)));
    this.initialDialogId = FLOW;
  }

  /** Builds the waterfall once subclasses have their questions. */
  protected buildFlow(): void {
    const steps = this.questions.map((q, i) => async (step: WaterfallStepContext) => {
      if (i > 0) {
        const stop = await this.receive(step, this.questions[i - 1]!);
        if (stop) return stop;
      }
      return this.ask(step, q);
    });
    steps.push(async (step) => {
      const stop = await this.receive(step, this.questions[this.questions.length - 1]!);
      if (stop) return stop;
      await this.finish(step.context, this.state(step).slots, this.lang(step.context));
      return step.endDialog(this.state(step).slots);
    });
    this.addDialog(new WaterfallDialog(FLOW, steps));
  }

  /** Sends the guide's result (the checklist). */
  protected abstract finish(context: DialogContext['context'], slots: Record<string, string>, lang: Lang): Promise<void>;

  /** After a slot is filled: return a result to end the guide early (e.g. a company goes to its e-service). */
  protected async afterAnswer(_step: WaterfallStepContext, _slot: string, _value: string): Promise<DialogTurnResult | undefined> {
    return undefined;
  }

  protected lang(context: DialogContext['context']): Lang {
    return (context.turnState.get(UNDERSTANDING) as TurnUnderstanding | undefined)?.lang ?? 'lv';
  }

  private state(step: WaterfallStepContext): GuideState {
    const options = step.options as GuideState;
    options.slots ??= {};
    options.answered ??= [];
    return options;
  }

  private choicesOf(q: Question, lang: Lang): Choice[] {
    return q.options.map((o) => ({ title: o.label[lang], value: o.value }));
  }

  private async ask(step: WaterfallStepContext, q: Question): Promise<DialogTurnResult> {
    const state = this.state(step);
    if (state.slots[q.slot] !== undefined) return step.next({ value: state.slots[q.slot], preset: true });
    state.asking = q.slot;
    const lang = this.lang(step.context);
    const t = this.deps.messages.for(lang);
    const choices = this.choicesOf(q, lang);
    // buttons where the channel has them, even for titles longer than botbuilder's 20-character guess
    const profile = channelProfile(step.context.activity.channelId);
    const style = profile.suggestedActions ? ListStyle.suggestedAction : profile.heroButtons ? ListStyle.heroCard : ListStyle.list;
    const options: GuidePromptOptions = {
      prompt: t(q.ask),
      retryPrompt: t('guide.retry'),
      choices: choices.map((c) => ({ value: c.title })),
      style,
      validations: { lang, slot: q.slot },
    };
    return step.prompt(PROMPT, options);
  }

  private async receive(step: WaterfallStepContext, q: Question): Promise<DialogTurnResult | undefined> {
    const state = this.state(step);
    const result = step.result as (FoundChoice & { preset?: boolean }) | undefined;
    if (result?.preset) return undefined;
    const value = result?.value;
    if (!value || value === UNCLEAR) {
      const lang = this.lang(step.context);
      await sendAnswer(step.context, this.deps.answers.withMenu(lang, this.deps.messages.for(lang)('guide.giveUp')));
      return step.endDialog();
    }
    state.slots[q.slot] = value;
    state.answered.push(q.slot);
    delete state.asking;
    return this.afterAnswer(step, q.slot, value);
  }

  /** Maps an answer to an option: a button's title, the option's number, or free text. */
  private match(q: Question, text: string, lang: Lang): string | undefined {
    const s = simple(text);
    const choices = this.choicesOf(q, lang);
    if (/^\d{1,2}$/.test(s)) return choices[Number(s) - 1]?.value;
    const byTitle = [...choices, ...this.choicesOf(q, lang === 'lv' ? 'en' : 'lv')].find((c) => simple(c.title) === s);
    return byTitle?.value ?? q.extract(text);
  }

  private async validate(prompt: PromptValidatorContext<FoundChoice>): Promise<boolean> {
    const { lang, slot } = (prompt.options as GuidePromptOptions).validations;
    const q = this.questions.find((x) => x.slot === slot)!;
    const value = this.match(q, prompt.context.activity.text ?? '', lang);
    if (value) {
      prompt.recognized.succeeded = true;
      prompt.recognized.value = { value, index: q.options.findIndex((o) => o.value === value), score: 1 };
      return true;
    }
    // asked again once with the choices; a second unclear answer ends the guide politely
    if (prompt.attemptCount >= 2) {
      prompt.recognized.value = { value: UNCLEAR, index: -1, score: 0 };
      return true;
    }
    return false;
  }

  private flowState(dc: DialogContext): GuideState | undefined {
    return dc.stack.find((d) => d.id === FLOW)?.state?.options as GuideState | undefined;
  }

  protected override async onContinueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const { context } = dc;
    const text = context.activity.text ?? '';
    const lang = this.lang(context);
    const t = this.deps.messages.for(lang);
    const state = this.flowState(dc);
    const command = guideCommand(text);
    if (command === 'cancel') {
      await sendAnswer(context, this.deps.answers.withMenu(lang, t('guide.cancelled')));
      return dc.cancelAllDialogs();
    }
    if (command === 'restart') {
      await sendAnswer(context, { text: t('guide.restarted') });
      await dc.cancelAllDialogs();
      return dc.beginDialog(FLOW, { slots: {}, answered: [] } satisfies GuideState);
    }
    if (command === 'back' && state) {
      const last = state.answered[state.answered.length - 1];
      if (!last) {
        await sendAnswer(context, { text: t('guide.backAtStart') });
        await dc.repromptDialog();
        return Dialog.EndOfTurn;
      }
      const slots = { ...state.slots };
      delete slots[last];
      await sendAnswer(context, { text: t('guide.back') });
      await dc.cancelAllDialogs();
      return dc.beginDialog(FLOW, { slots, answered: state.answered.slice(0, -1) } satisfies GuideState);
    }
    if (command === 'help') {
      await sendAnswer(context, { text: t('guide.help') });
      await dc.repromptDialog();
      return Dialog.EndOfTurn;
    }
    const asking = this.questions.find((q) => q.slot === state?.asking);
    // "what is your fax number?" names an option ("fax") but asks something else
    const answers = asking !== undefined && this.match(asking, text, lang) !== undefined && !QUESTION.test(simple(text) + (text.trim().endsWith('?') ? ' ?' : ''));
    if (asking && !answers && this.isSideQuestion(context.turnState.get(UNDERSTANDING) as TurnUnderstanding | undefined, text)) {
      const u = context.turnState.get(UNDERSTANDING) as TurnUnderstanding;
      // the case the guide already knows ("for my father under guardianship") applies to the question too
      const known = state?.slots.subject as Entities['subject'] | undefined;
      return this.answerAside(dc, this.deps.answers.forIntent(u.intent as Intent, lang, { ...u.entities, ...(u.entities.subject || !known ? {} : { subject: known }) }, { text }));
    }
    // "what does she have to attach?": a question the model is unsure of, asked inside the guide, is about the
    // guide's own service (with what the guide already knows), not an unclear answer to its question
    if (asking && !answers && asksSomething(text)) {
      const u = context.turnState.get(UNDERSTANDING) as TurnUnderstanding | undefined;
      const known = state?.slots.subject as Entities['subject'] | undefined;
      const entities: Entities = { ...(u?.entities ?? { contactKinds: [] }), ...(u?.entities.subject || !known ? {} : { subject: known }) };
      return this.answerAside(dc, this.deps.answers.forIntent(this.ownIntents[0]!, lang, entities, { text, unknown: u?.unknown ?? [] }));
    }
    return super.onContinueDialog(dc);
  }

  /** Answers a question asked inside the guide, then asks the guide's question again. */
  private async answerAside(dc: DialogContext, side: Answer): Promise<DialogTurnResult> {
    await sendAnswer(dc.context, { ...side, choices: [] });
    await sendAnswer(dc.context, { text: this.deps.messages.for(this.lang(dc.context))('guide.resume') });
    await dc.repromptDialog();
    return Dialog.EndOfTurn;
  }

  /** A confident question about something else: answer it, then return to the guide. */
  private isSideQuestion(u: TurnUnderstanding | undefined, text: string): boolean {
    if (!u || u.clarify || u.intent === OUT_OF_SCOPE || u.score < 0.6) return false;
    const intent = u.intent as Intent;
    if (['greeting', 'thanks', 'help'].includes(intent)) return false;
    // "who can submit it?" asked in the guide's own subject is a question too, not an unclear answer
    // ("and if my brother picks it up instead?" is a question by its question mark)
    if (this.ownIntents.includes(intent)) return asksSomething(text);
    return true;
  }
}
