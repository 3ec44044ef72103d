import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import { ComponentDialog, DialogSet, DialogTurnStatus, WaterfallDialog, type DialogState, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import { sendAnswer } from '../bot/reply';
import { OUT_OF_SCOPE } from '../nlu/intents';
import { asksToBeGuided, isQuestion, statesNeed } from '../nlu/questionForm';
import type { Answer } from '../bot/answer';
import { GUIDES, type AnswerBook } from './answers';
import { OUTCOME, UNDERSTANDING, type TurnUnderstanding } from './understanding';
import { ARCHIVE_GUIDE, archiveChannel, archiveSubject, type ArchiveGuide } from './archiveGuide';
import { CRIMINAL_RECORD_GUIDE, type CriminalRecordGuide } from './criminalRecordGuide';
import { COMMENT_DIALOG, CSAT_DIALOG, CommentDialog, CsatDialog, type Feedback, type Reroute } from './feedbackDialogs';

const ROUTE = 'route';
/** Answers that get no "was this helpful?": small talk, menus and "I can't answer that". */
const NOT_RATED: string[] = ['greeting', 'goodbye', 'thanks', 'help', 'bot_identity', 'rate', OUT_OF_SCOPE];

/** The router: from the understood intent to an answer or a guided flow. */
export class MainDialog extends ComponentDialog {
  constructor(
    private readonly answers: AnswerBook,
    guides: { criminalRecord: CriminalRecordGuide; archive: ArchiveGuide },
    private readonly feedback: Feedback,
  ) {
    super('main');
    this.addDialog(guides.criminalRecord);
    this.addDialog(guides.archive);
    this.addDialog(new CsatDialog(feedback));
    this.addDialog(new CommentDialog(feedback));
    this.addDialog(new WaterfallDialog(ROUTE, [(step) => this.route(step), (step) => this.after(step), (step) => this.after(step)]));
    this.initialDialogId = ROUTE;
  }

  /** After a child dialog: answer a question asked instead of a rating; ask for a rating after a finished guide. */
  private async after(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const result = step.result as (Reroute & Record<string, unknown>) | Record<string, unknown> | undefined;
    if (result && 'reroute' in result) return step.replaceDialog(ROUTE);
    const finishedGuide = result !== undefined && 'subject' in result;
    if (finishedGuide && !(await this.feedback.csatGiven(step.context))) return step.beginDialog(CSAT_DIALOG, {});
    return step.endDialog();
  }

  /**
   * Which guide fits the message, with the slots it already gives. A guide starts only when asked
   * for (a click, "yes" to the offer) or on a stated need ("man vajag izziņu par sodāmību"); a
   * question gets its answer, with the guide offered.
   */
  private guideFor(u: TurnUnderstanding): { id: string; slots: Record<string, string>; start: boolean } | undefined {
    const { entities } = u;
    const text = u.action ? '' : u.text ?? '';
    // "man vajag izziņu", or a request without a question ("izziņa par sodāmību dēlam", "arhīva izziņa par mirušu tēvu")
    // "man vajag arhīva izziņu par mirušo tēvu, kā rīkoties?" asks to be taken through it, like a statement of need
    const statement = text !== '' && (!isQuestion(text, u.lang) || (statesNeed(text) && asksToBeGuided(text)));
    // ("I need to know whether it can be apostilled": what the standard does not say is answered, not guided)
    const need = statement && (statesNeed(text) || entities.subject !== undefined || entities.channel !== undefined) && !this.answers.asksWhatIsNeverSaid(text);
    const about = new Set<string>([u.intent, ...(u.clarify ?? [])]);
    if (u.action === 'guide:criminal_record' || about.has('criminal_record_request') || about.has('representation') || about.has('criminal_record_collect')) {
      const slots: Record<string, string> = { ...(u.slots ?? {}) };
      if (entities.subject && entities.subject !== 'deceased') slots.subject = entities.subject;
      if (entities.channel) slots.channel = entities.channel;
      // "Did you mean" between two topics of the same guide is no doubt about the guide
      const oneGuide = u.clarify?.every((i) => GUIDES[i] === 'guide:criminal_record') ?? true;
      const start = u.action === 'guide:criminal_record' || (need && oneGuide && (about.has('criminal_record_request') || (about.has('representation') && (entities.subject !== undefined || entities.absent === true))));
      return { id: CRIMINAL_RECORD_GUIDE, slots, start };
    }
    if (u.action === 'guide:archive' || u.intent === 'archive_request') {
      const slots: Record<string, string> = { ...(u.slots ?? {}) };
      const subject = archiveSubject(text);
      const channel = archiveChannel(text);
      if (subject) slots.subject = subject;
      if (channel) slots.channel = channel;
      // "arhīva nodaļas telefons" names the department but asks for its number
      const start = u.action === 'guide:archive' || (statement && (statesNeed(text) || subject !== undefined) && entities.contactKinds.length === 0);
      return { id: ARCHIVE_GUIDE, slots, start };
    }
    return undefined;
  }

  /** A guide started by a stated need first gives the short answer and what already applies to the case. */
  private async guideIntro(step: WaterfallStepContext, u: TurnUnderstanding, id: string): Promise<void> {
    if (u.action) return;
    const intro = this.answers.guideIntro(id === ARCHIVE_GUIDE ? 'archive_request' : 'criminal_record_request', u.lang, u.entities);
    if (intro) await sendAnswer(step.context, intro);
  }

  async run(context: TurnContext, accessor: StatePropertyAccessor<DialogState>): Promise<void> {
    const dialogs = new DialogSet(accessor);
    dialogs.add(this);
    const dc = await dialogs.createContext(context);
    const result = await dc.continueDialog();
    if (result.status === DialogTurnStatus.empty) await dc.beginDialog(this.id);
    else if (!context.turnState.get(OUTCOME)) context.turnState.set(OUTCOME, result.status === DialogTurnStatus.complete ? 'guide_finished' : 'guide_step');
  }

  private async route(step: WaterfallStepContext) {
    const u = step.context.turnState.get(UNDERSTANDING) as TurnUnderstanding;
    const outcome = (o: string) => step.context.turnState.set(OUTCOME, o);
    if (u.action === 'feedback:up' || u.action === 'feedback:down') {
      outcome('rating');
      return this.helpful(step, u);
    }
    if (u.intent === 'rate') {
      outcome('rating');
      return step.beginDialog(CSAT_DIALOG, {});
    }
    if (u.more) {
      const more = this.answers.more(u.more, u.lang);
      if (more) {
        outcome('answered');
        await sendAnswer(step.context, more);
        return step.endDialog();
      }
    }
    if (u.intent === 'goodbye' && !u.clarify) {
      outcome('smalltalk');
      await sendAnswer(step.context, this.answers.forIntent('goodbye', u.lang, u.entities));
      if (await this.feedback.csatGiven(step.context)) return step.endDialog();
      return step.beginDialog(CSAT_DIALOG, { beforeYouGo: true });
    }
    const guide = this.guideFor(u);
    if (guide?.start) {
      outcome('guide_started');
      await this.guideIntro(step, u, guide.id);
      return step.beginDialog(guide.id, { slots: guide.slots, answered: Object.keys(guide.slots) });
    }
    if (u.clarify && (this.answers.foreign(u.unknown, u.lang).length > 0 || (u.text !== undefined && this.answers.foreignIn(u.text, u.lang).length >= 2))) {
      // "Do you have wheelchair access?": two weak readings and a word no fact has: the standard does not say
      outcome('answered');
      await sendAnswer(step.context, this.answers.silent(u.lang, u.clarify[0]));
    } else if (u.clarify) {
      outcome('clarified');
      await sendAnswer(step.context, this.answers.clarify(u.lang, u.clarify));
    } else if (u.intent === OUT_OF_SCOPE) {
      const generic: Answer | undefined = u.text
        ? this.answers.generic(u.lang, u.entities, u.text, u.unknown ?? []) ?? this.answers.anywhere(u.lang, u.entities, u.text, u.unknown ?? [])
        : undefined;
      outcome(generic ? 'answered' : 'fallback');
      await sendAnswer(step.context, generic ?? this.answers.fallback(u.lang));
    } else {
      const asked = { text: u.text ?? '', ...(u.context ? { context: u.context } : {}), slots: guide?.slots ?? {}, unknown: u.unknown ?? [], score: u.score };
      const answer = u.chosen ? this.answers.forIntent(u.intent, u.lang, u.entities) : this.answers.forIntent(u.intent, u.lang, u.entities, asked);
      outcome(NOT_RATED.includes(u.intent) ? 'smalltalk' : 'answered');
      if (NOT_RATED.includes(u.intent)) {
        await sendAnswer(step.context, answer);
      } else {
        const offered = await this.feedback.offerHelpful(step.context, answer, u.intent);
        await sendAnswer(step.context, offered.answer, offered.id);
      }
    }
    return step.endDialog();
  }

  private async helpful(step: WaterfallStepContext, u: TurnUnderstanding): Promise<DialogTurnResult> {
    const up = u.action === 'feedback:up';
    const ratingId = await this.feedback.recordHelpful(step.context, up);
    const t = this.feedback.deps.messages.for(u.lang);
    if (up || !ratingId) {
      await sendAnswer(step.context, this.answers.withMenu(u.lang, t('feedback.thanksUp')));
      return step.endDialog();
    }
    return step.beginDialog(COMMENT_DIALOG, { ratingId });
  }
}
