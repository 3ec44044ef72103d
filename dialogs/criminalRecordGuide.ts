import type { DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import type { TurnContext } from 'botbuilder';
import { sendAnswer } from '../bot/reply';
import { CertificateSubject, SubmitChannel } from '../knowledge/guidesSchema';
import type { Knowledge } from '../knowledge/loader';
import { answerSubject, extractEntities } from '../nlu/entities';
import type { Intent } from '../nlu/intents';
import type { Lang } from '../nlu/languagePack';
import type { Checklists } from './checklists';
import { GuideDialog, type GuideDeps, type Question } from './guideDialog';

export const CRIMINAL_RECORD_GUIDE = 'criminalRecordGuide';

/** Who it is for, how to submit, then the personal checklist. A company goes straight to its e-service. */
export class CriminalRecordGuide extends GuideDialog {
  protected readonly questions: Question[];
  protected readonly ownIntents: Intent[] = ['criminal_record_request', 'representation', 'criminal_record_collect', 'criminal_record_check'];

  constructor(deps: GuideDeps, knowledge: Knowledge, private readonly checklists: Checklists) {
    super(CRIMINAL_RECORD_GUIDE, deps);
    const guide = knowledge.guides.criminalRecord;
    this.questions = [
      {
        slot: 'subject',
        ask: 'guide.criminal.askSubject',
        options: CertificateSubject.options.map((value) => ({ value, label: guide.subjects[value].label })),
        extract: answerSubject,
      },
      {
        slot: 'channel',
        ask: 'guide.criminal.askChannel',
        options: SubmitChannel.options.map((value) => ({ value, label: guide.channels[value].label })),
        extract: (text) => extractEntities(text).channel,
      },
    ];
    this.buildFlow();
  }

  protected override async afterAnswer(step: WaterfallStepContext, slot: string, value: string): Promise<DialogTurnResult | undefined> {
    if (slot !== 'subject' || value !== 'company') return undefined;
    await sendAnswer(step.context, this.checklists.company(this.lang(step.context)));
    return step.endDialog({ subject: 'company' });
  }

  protected async finish(context: TurnContext, slots: Record<string, string>, lang: Lang): Promise<void> {
    const subject = CertificateSubject.parse(slots.subject);
    const channel = SubmitChannel.parse(slots.channel);
    await sendAnswer(context, subject === 'company' ? this.checklists.company(lang) : this.checklists.criminalRecord(subject, channel, lang));
  }
}
