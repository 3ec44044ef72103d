import type { TurnContext } from 'botbuilder';
import { sendAnswer } from '../bot/reply';
import { ArchiveChannel, ArchiveSubject } from '../knowledge/guidesSchema';
import type { Knowledge } from '../knowledge/loader';
import { answerSubject, extractEntities } from '../nlu/entities';
import type { Intent } from '../nlu/intents';
import type { Lang } from '../nlu/languagePack';
import { foldDiacritics, nfcLower } from '../nlu/text';
import type { Checklists } from './checklists';
import { GuideDialog, type GuideDeps, type Question } from './guideDialog';

export const ARCHIVE_GUIDE = 'archiveGuide';

export function archiveSubject(text: string, answering = false): ArchiveSubject | undefined {
  const subject = answering ? answerSubject(text) : extractEntities(text).subject;
  return subject === 'self' || subject === 'ward' || subject === 'deceased' ? subject : undefined;
}

export function archiveChannel(text: string): ArchiveChannel | undefined {
  const t = foldDiacritics(nfcLower(text));
  if (/\b(nodal\w*|ciekurkaln\w*|archive (department|office)|department)\b/.test(t)) return 'archive_department';
  if (extractEntities(text).channel === 'eservice') return 'eservice';
  if (/\b(bruninieku|centr\w*|centre|center)\b/.test(t)) return 'centre';
  return undefined;
}

/** About whom, where to submit, then what to enclose, where and when to go, and where to collect. */
export class ArchiveGuide extends GuideDialog {
  protected readonly questions: Question[];
  protected readonly ownIntents: Intent[] = ['archive_request'];

  constructor(deps: GuideDeps, knowledge: Knowledge, private readonly checklists: Checklists) {
    super(ARCHIVE_GUIDE, deps);
    const guide = knowledge.guides.archive;
    this.questions = [
      {
        slot: 'subject',
        ask: 'guide.archive.askSubject',
        options: ArchiveSubject.options.map((value) => ({ value, label: guide.subjects[value].label })),
        extract: (text) => archiveSubject(text, true),
      },
      {
        slot: 'channel',
        ask: 'guide.archive.askChannel',
        options: ArchiveChannel.options.map((value) => ({ value, label: guide.channels[value].label })),
        extract: archiveChannel,
      },
    ];
    this.buildFlow();
  }

  protected async finish(context: TurnContext, slots: Record<string, string>, lang: Lang): Promise<void> {
    await sendAnswer(context, this.checklists.archive(ArchiveSubject.parse(slots.subject), ArchiveChannel.parse(slots.channel), lang));
  }
}
