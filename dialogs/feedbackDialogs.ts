import { isQuestion } from '../nlu/questionForm';
import { randomUUID } from 'node:crypto';
import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import { ComponentDialog, DialogContext, DialogTurnStatus, TextPrompt, WaterfallDialog, type DialogTurnResult, type PromptValidatorContext, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { Answer } from '../bot/answer';
import { sendAnswer } from '../bot/reply';
import { renderAnswer } from '../bot/render/render';
import type { ConversationData } from '../bot/state';
import type { Knowledge } from '../knowledge/loader';
import type { Messages } from '../locales/i18n';
import { OUT_OF_SCOPE } from '../nlu/intents';
import type { Lang } from '../nlu/languagePack';
import type { Rating, RatingStore } from '../storage/ratingStore';
import { isSkip, parseCsat } from './csat';
import type { Clock } from './hoursAnswer';
import { UNDERSTANDING, type TurnUnderstanding } from './understanding';

export const CSAT_DIALOG = 'csat';
export const COMMENT_DIALOG = 'feedbackComment';
const RATING = 'rating';
const COMMENT = 'comment';

export interface FeedbackDeps {
  messages: Messages;
  knowledge: Knowledge;
  ratings: RatingStore;
  conversation: StatePropertyAccessor<ConversationData>;
  clock: Clock;
}

/** Handed back to the router when the user asked something else instead of rating: answer it. */
export interface Reroute { reroute: true }

const lang = (context: TurnContext): Lang => (context.turnState.get(UNDERSTANDING) as TurnUnderstanding | undefined)?.lang ?? 'lv';

/** A plain question about something else, asked while the assistant waits for a rating or a comment. */
function asksSomethingElse(context: TurnContext): boolean {
  const u = context.turnState.get(UNDERSTANDING) as TurnUnderstanding | undefined;
  const text = context.activity.text ?? '';
  if (!u || u.intent === OUT_OF_SCOPE || u.score < 0.7 || parseCsat(text) !== undefined || isSkip(text)) return false;
  // "nezinu" / "I don't know" to a rating is no answer, not a request for the menu
  if (u.intent === 'help' && !isQuestion(text, u.lang)) return false;
  return !['rate', 'thanks', 'goodbye', 'greeting', 'feedback'].includes(u.intent);
}

async function letGo(dc: DialogContext): Promise<DialogTurnResult> {
  await dc.cancelAllDialogs();
  return { status: DialogTurnStatus.complete, result: { reroute: true } satisfies Reroute };
}

/** Ratings: what to record and when to ask, shared by the router and the rating dialogs. */
export class Feedback {
  constructor(readonly deps: FeedbackDeps) {}

  private rating(context: TurnContext, kind: Rating['kind'], value: number, extra: Partial<Rating> = {}): Rating {
    return {
      id: randomUUID(), conversationId: context.activity.conversation.id, kind, value,
      language: lang(context), channelId: context.activity.channelId, timestamp: this.deps.clock().toISOString(), ...extra,
    };
  }

  /** "Was this helpful?" after a knowledge answer: not twice in a row, and not more often than every third turn. */
  async offerHelpful(context: TurnContext, answer: Answer, intent: string): Promise<{ answer: Answer; id?: string }> {
    const convo = await this.deps.conversation.get(context, {});
    const turn = convo.turns ?? 0;
    const fb = (convo.feedback ??= {});
    if (fb.askedTurn !== undefined && turn - fb.askedTurn < 3) return { answer };
    const t = this.deps.messages.for(lang(context));
    const id = randomUUID();
    fb.askedTurn = turn;
    fb.pending = { activityId: id, intent };
    const choices = [{ title: t('feedback.up'), value: 'feedback:up' }, { title: t('feedback.down'), value: 'feedback:down' }, ...(answer.choices ?? [])];
    return { answer: { ...answer, choices, note: [answer.note, t('feedback.ask')].filter(Boolean).join('\n\n') }, id };
  }

  /** A thumbs up or down on the answer the thumbs were offered with. */
  async recordHelpful(context: TurnContext, up: boolean): Promise<string | undefined> {
    const convo = await this.deps.conversation.get(context, {});
    const pending = convo.feedback?.pending;
    if (!pending) return undefined;
    const rating = this.rating(context, 'helpful', up ? 1 : 0, { activityId: pending.activityId, intent: pending.intent });
    await this.deps.ratings.add(rating);
    delete convo.feedback!.pending;
    return rating.id;
  }

  async csatGiven(context: TurnContext): Promise<boolean> {
    return (await this.deps.conversation.get(context, {})).feedback?.csatId !== undefined;
  }

  async recordCsat(context: TurnContext, value: number): Promise<string> {
    const convo = await this.deps.conversation.get(context, {});
    const fb = (convo.feedback ??= {});
    // one per conversation: the store replaces an earlier one
    const rating = this.rating(context, 'csat', value);
    await this.deps.ratings.add(rating);
    fb.csatId = rating.id;
    return rating.id;
  }

  async comment(context: TurnContext, ratingId: string, text: string): Promise<void> {
    await this.deps.ratings.setComment(context.activity.conversation.id, ratingId, text);
  }

  /** How else to reach the Centre, from the standard's feedback channels. */
  otherWays(l: Lang): string {
    const centre = this.deps.knowledge.place('centre');
    const emails = centre.contacts.filter((c) => c.kind === 'email').map((c) => c.value);
    const phone = centre.contacts.find((c) => c.kind === 'phone')?.value ?? '';
    return this.deps.messages.for(l)('feedback.otherWays', { phone, email: emails[0] ?? '', pd: emails[1] ?? emails[0] ?? '' });
  }
}

function skipChoice(l: Lang, messages: Messages): Answer['choices'] {
  return [{ title: messages.for(l)('feedback.skip'), value: 'skip' }];
}

/** Satisfaction 1-5 with an optional comment; typing "5", "pieci", "★★★★★" or "very good" works as well as the buttons. */
export class CsatDialog extends ComponentDialog {
  constructor(private readonly feedback: Feedback) {
    super(CSAT_DIALOG);
    this.addDialog(new TextPrompt(RATING, (p) => this.validate(p)));
    this.addDialog(new TextPrompt(COMMENT));
    this.addDialog(new WaterfallDialog('csatFlow', [
      (step) => this.ask(step),
      (step) => this.received(step),
      (step) => this.commented(step),
    ]));
    this.initialDialogId = 'csatFlow';
  }

  private async validate(p: PromptValidatorContext<string>): Promise<boolean> {
    const text = p.recognized.value ?? '';
    // asked again once; after that the dialog lets go
    return parseCsat(text) !== undefined || isSkip(text) || p.attemptCount >= 2;
  }

  private async ask(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const l = lang(step.context);
    const t = this.feedback.deps.messages.for(l);
    const before = (step.options as { beforeYouGo?: boolean } | undefined)?.beforeYouGo;
    const choices = [1, 2, 3, 4, 5].map((n) => ({ title: String(n), value: `csat:${n}` }));
    const prompt = renderAnswer({ text: t(before ? 'feedback.csatBeforeYouGo' : 'feedback.csatAsk'), choices: [...choices, ...skipChoice(l, this.feedback.deps.messages)!] }, step.context.activity.channelId);
    const retry = renderAnswer({ text: t('feedback.csatRetry'), choices: [...choices, ...skipChoice(l, this.feedback.deps.messages)!] }, step.context.activity.channelId);
    return step.prompt(RATING, { prompt, retryPrompt: retry });
  }

  private async received(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const l = lang(step.context);
    const t = this.feedback.deps.messages.for(l);
    const value = parseCsat(String(step.result ?? ''));
    if (value === undefined) {
      await sendAnswer(step.context, { text: t('feedback.skipped') });
      return step.endDialog();
    }
    const id = await this.feedback.recordCsat(step.context, value);
    (step.values as { ratingId?: string }).ratingId = id;
    const prompt = renderAnswer({ text: t('feedback.csatComment', { value }), choices: skipChoice(l, this.feedback.deps.messages) }, step.context.activity.channelId);
    return step.prompt(COMMENT, { prompt });
  }

  private async commented(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const t = this.feedback.deps.messages.for(lang(step.context));
    const text = String(step.result ?? '');
    if (isSkip(text)) {
      await sendAnswer(step.context, { text: t('feedback.csatThanks') });
    } else {
      await this.feedback.comment(step.context, (step.values as { ratingId: string }).ratingId, text);
      await sendAnswer(step.context, { text: t('feedback.thanksComment') });
    }
    return step.endDialog();
  }

  protected override async onContinueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    if (asksSomethingElse(dc.context)) return letGo(dc);
    return super.onContinueDialog(dc);
  }
}

/** After a thumbs down: what was missing (optional), and how else to reach the Centre. */
export class CommentDialog extends ComponentDialog {
  constructor(private readonly feedback: Feedback) {
    super(COMMENT_DIALOG);
    this.addDialog(new TextPrompt(COMMENT));
    this.addDialog(new WaterfallDialog('commentFlow', [
      async (step) => {
        const l = lang(step.context);
        const t = this.feedback.deps.messages.for(l);
        const prompt = renderAnswer({ text: t('feedback.askMissing'), note: this.feedback.otherWays(l), choices: skipChoice(l, this.feedback.deps.messages) }, step.context.activity.channelId);
        return step.prompt(COMMENT, { prompt });
      },
      async (step) => {
        const t = this.feedback.deps.messages.for(lang(step.context));
        const text = String(step.result ?? '');
        const ratingId = (step.options as { ratingId: string }).ratingId;
        if (isSkip(text)) {
          await sendAnswer(step.context, { text: t('feedback.skipped') });
        } else {
          await this.feedback.comment(step.context, ratingId, text);
          await sendAnswer(step.context, { text: t('feedback.thanksComment') });
        }
        return step.endDialog();
      },
    ]));
    this.initialDialogId = 'commentFlow';
  }

  protected override async onContinueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    if (asksSomethingElse(dc.context)) return letGo(dc);
    return super.onContinueDialog(dc);
  }
}
