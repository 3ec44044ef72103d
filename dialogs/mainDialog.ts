import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import { ComponentDialog, DialogSet, DialogTurnStatus, WaterfallDialog, type DialogState, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import { sendAnswer } from '../bot/reply';
import { OUT_OF_SCOPE } from '../nlu/intents';
import { foldDiacritics, nfcLower } from '../nlu/text';
import type { AnswerBook } from './answers';
import { UNDERSTANDING, type TurnUnderstanding } from './understanding';
import { ARCHIVE_GUIDE, archiveChannel, archiveSubject, type ArchiveGuide } from './archiveGuide';
import { CRIMINAL_RECORD_GUIDE, type CriminalRecordGuide } from './criminalRecordGuide';
import { COMMENT_DIALOG, CSAT_DIALOG, CommentDialog, CsatDialog, type Feedback, type Reroute } from './feedbackDialogs';

const ROUTE = 'route';
/** Answers that get no "was this helpful?": small talk, menus and "I can't answer that". */
const NOT_RATED: string[] = ['greeting', 'goodbye', 'thanks', 'help', 'bot_identity', 'rate', OUT_OF_SCOPE];
const REQUEST_WORDS = /\b(need|want|request|order|apply|get|vajag\w*|vajadzig\w*|gribu|gribetu|velos|veletos|pieprasit\w*|pasutit|dabut|iznemt|nokartot)\b/;

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

  /** A guide starts when asked for, or when the first message already says something only the guide uses. */
  private guideFor(u: TurnUnderstanding): { id: string; slots: Record<string, string> } | undefined {
    const { entities } = u;
    const about = new Set<string>([u.intent, ...(u.clarify ?? [])]);
    const certificate = about.has('criminal_record_request') && (about.size === 1 || (u.clarify !== undefined && about.has('representation')));
    // "I need a certificate for my daughter" reads as representation too; asking for one starts the guide
    const requestFor = about.has('representation') && entities.subject !== undefined && REQUEST_WORDS.test(foldDiacritics(nfcLower(u.text ?? '')));
    if (u.action === 'guide:criminal_record' || ((certificate || requestFor) && (entities.subject || entities.channel))) {
      const slots: Record<string, string> = {};
      if (entities.subject && entities.subject !== 'deceased') slots.subject = entities.subject;
      if (entities.channel) slots.channel = entities.channel;
      return { id: CRIMINAL_RECORD_GUIDE, slots };
    }
    // a click on "Guide me step by step" says nothing about the case
    const text = u.action ? '' : u.text ?? '';
    const subject = archiveSubject(text);
    const channel = archiveChannel(text);
    // "arhīva nodaļas telefons" names the department but asks for its number
    const asksContacts = entities.contactKinds.length > 0 && !subject;
    if (u.action === 'guide:archive' || (u.intent === 'archive_request' && !asksContacts && (subject || channel === 'archive_department' || channel === 'eservice'))) {
      const slots: Record<string, string> = {};
      if (subject) slots.subject = subject;
      if (channel && u.intent === 'archive_request') slots.channel = channel;
      return { id: ARCHIVE_GUIDE, slots };
    }
    return undefined;
  }

  async run(context: TurnContext, accessor: StatePropertyAccessor<DialogState>): Promise<void> {
    const dialogs = new DialogSet(accessor);
    dialogs.add(this);
    const dc = await dialogs.createContext(context);
    const result = await dc.continueDialog();
    if (result.status === DialogTurnStatus.empty) await dc.beginDialog(this.id);
  }

  private async route(step: WaterfallStepContext) {
    const u = step.context.turnState.get(UNDERSTANDING) as TurnUnderstanding;
    if (u.action === 'feedback:up' || u.action === 'feedback:down') return this.helpful(step, u);
    if (u.intent === 'rate') return step.beginDialog(CSAT_DIALOG, {});
    if (u.intent === 'goodbye' && !u.clarify) {
      await sendAnswer(step.context, this.answers.forIntent('goodbye', u.lang, u.entities));
      if (await this.feedback.csatGiven(step.context)) return step.endDialog();
      return step.beginDialog(CSAT_DIALOG, { beforeYouGo: true });
    }
    const guide = this.guideFor(u);
    if (guide) return step.beginDialog(guide.id, { slots: guide.slots, answered: Object.keys(guide.slots) });
    if (u.clarify) {
      await sendAnswer(step.context, this.answers.clarify(u.lang, u.clarify));
    } else if (u.intent === OUT_OF_SCOPE) {
      await sendAnswer(step.context, this.answers.fallback(u.lang));
    } else {
      const answer = this.answers.forIntent(u.intent, u.lang, u.entities);
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
