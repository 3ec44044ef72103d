import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import { ComponentDialog, DialogSet, DialogTurnStatus, WaterfallDialog, type DialogState, type WaterfallStepContext } from 'botbuilder-dialogs';
import { sendAnswer } from '../bot/reply';
import { OUT_OF_SCOPE } from '../nlu/intents';
import type { AnswerBook } from './answers';
import { UNDERSTANDING, type TurnUnderstanding } from './understanding';

const ROUTE = 'route';

/** The router: one switch from the understood intent to an answer (guided flows join here later). */
export class MainDialog extends ComponentDialog {
  constructor(private readonly answers: AnswerBook) {
    super('main');
    this.addDialog(new WaterfallDialog(ROUTE, [(step) => this.route(step)]));
    this.initialDialogId = ROUTE;
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
    if (u.clarify) {
      await sendAnswer(step.context, this.answers.clarify(u.lang, u.clarify));
    } else if (u.intent === OUT_OF_SCOPE) {
      await sendAnswer(step.context, this.answers.fallback(u.lang));
    } else {
      await sendAnswer(step.context, this.answers.forIntent(u.intent, u.lang, u.entities));
    }
    return step.endDialog();
  }
}
