import { ActivityHandler, TurnContext, type BotState } from 'botbuilder';
import { GUIDES, type AnswerBook } from '../dialogs/answers';
import type { MainDialog } from '../dialogs/mainDialog';
import { UNDERSTANDING, type TurnUnderstanding } from '../dialogs/understanding';
import { type Intent, INTENT_NAMES } from '../nlu/intents';
import type { Lang } from '../nlu/languagePack';
import type { Recognition, Recognizer } from '../nlu/recognizer';
import { foldDiacritics, nfcLower } from '../nlu/text';
import type { Choice } from './answer';
import { OFFERED_CHOICES, sendAnswer } from './reply';
import type { StateAccessors } from './state';

export const MAX_MESSAGE_LENGTH = 2000;
/** A thumbs emoji alone is a rating of the last answer. */
const THUMBS = /^\s*(👍|👎)(\p{Emoji_Modifier})?\s*$/u;
/** What the NLU made of the user's message, for transcripts. */
export const RECOGNITION = 'iemic.recognition';
export interface RecognitionSummary { intent: string; score: number; language: Lang; source: string }
export const TURN_LANGUAGE = 'iemic.language';

export interface BotDeps {
  recognizer: Recognizer;
  answers: AnswerBook;
  dialog: MainDialog;
  accessors: StateAccessors;
  states: BotState[];
}

const simplify = (text: string) => foldDiacritics(nfcLower(text)).replace(/[^\p{L}\p{N}]+/gu, ' ').trim();

function localeHint(locale: string | undefined): Lang | undefined {
  if (!locale) return undefined;
  if (/^en\b/i.test(locale)) return 'en';
  if (/^lv\b/i.test(locale)) return 'lv';
  return undefined;
}

/** A click on an offered choice, or its number typed on a channel without buttons. */
function chosen(text: string, offered: Choice[]): Choice | undefined {
  const s = simplify(text);
  if (/^\d{1,2}$/.test(s)) return offered[Number(s) - 1];
  return offered.find((c) => simplify(c.title) === s);
}

export class CentreBot extends ActivityHandler {
  constructor(private readonly deps: BotDeps) {
    super();
    this.onMembersAdded(async (context, next) => {
      const bot = context.activity.recipient?.id;
      const joined = (context.activity.membersAdded ?? []).some((m) => m.id !== bot);
      // Teams announces an install with installationUpdate (welcomed below); its membersAdded would be a second welcome.
      if (joined && context.activity.channelId !== 'msteams') await this.welcome(context);
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      await this.welcome(context);
      await next();
    });
    this.onEvent(async (context, next) => {
      const { name, value } = context.activity;
      if (name === 'setLanguage' && (value === 'lv' || value === 'en')) await this.switchLanguage(context, value);
      await next();
    });
    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });
  }

  private async welcome(context: TurnContext): Promise<void> {
    const prefs = await this.deps.accessors.user.get(context, {});
    // Teams may leave the activity's locale out of an installationUpdate and give it in clientInfo.
    const clientInfo = context.activity.entities?.find((e) => e.type === 'clientInfo') as { locale?: unknown } | undefined;
    const clientLocale = typeof clientInfo?.locale === 'string' ? clientInfo.locale : undefined;
    const lang = prefs.lang ?? localeHint(context.activity.locale ?? clientLocale) ?? 'lv';
    context.turnState.set(TURN_LANGUAGE, lang);
    await sendAnswer(context, this.deps.answers.welcome(lang));
    await this.rememberChoices(context, lang);
  }

  /** An explicit choice of language (a message such as "English please", or the web page's switch). */
  private async switchLanguage(context: TurnContext, lang: Lang): Promise<void> {
    const prefs = await this.deps.accessors.user.get(context, {});
    prefs.lang = lang;
    context.turnState.set(TURN_LANGUAGE, lang);
    const { answers } = this.deps;
    const help = answers.help(lang);
    await sendAnswer(context, { ...help, text: `${answers.simple(lang, 'languageSwitched').text} ${help.text}` });
    await this.rememberChoices(context, lang);
  }

  override async run(context: TurnContext): Promise<void> {
    await super.run(context);
    await Promise.all(this.deps.states.map((s) => s.saveChanges(context, false)));
  }

  private async currentLanguage(context: TurnContext): Promise<Lang> {
    const prefs = await this.deps.accessors.user.get(context, {});
    if (prefs.lang) return prefs.lang;
    const convo = await this.deps.accessors.conversation.get(context, {});
    return convo.lang ?? localeHint(context.activity.locale) ?? 'lv';
  }

  private async rememberChoices(context: TurnContext, lang: Lang): Promise<void> {
    const convo = await this.deps.accessors.conversation.get(context, {});
    convo.lang = lang;
    convo.offered = context.turnState.get(OFFERED_CHOICES) ?? [];
    convo.turns = (convo.turns ?? 0) + (context.activity.type === 'message' ? 1 : 0);
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const current = await this.currentLanguage(context);
    context.turnState.set(TURN_LANGUAGE, current);
    if (context.activity.channelId === 'msteams') TurnContext.removeRecipientMention(context.activity);
    const text = (context.activity.text ?? '').trim();
    const { answers } = this.deps;
    // Telegram's first message is "/start"
    if (/^\/start\b/i.test(text)) return this.welcome(context);
    if (!text) {
      await sendAnswer(context, answers.simple(current, 'unsupported'));
      return this.rememberChoices(context, current);
    }
    if (text.length > MAX_MESSAGE_LENGTH) {
      await sendAnswer(context, answers.simple(current, 'tooLong', { max: MAX_MESSAGE_LENGTH }));
      return this.rememberChoices(context, current);
    }
    const convo = await this.deps.accessors.conversation.get(context, {});
    const choice = chosen(text, convo.offered ?? []);
    let understanding: TurnUnderstanding;
    const guide = choice && Object.entries(GUIDES).find(([, action]) => action === choice.value);
    if (guide) {
      understanding = { lang: current, intent: guide[0] as Intent, score: 1, entities: { contactKinds: [] }, action: guide[1], text };
      context.turnState.set(RECOGNITION, { intent: guide[0], score: 1, language: current, source: 'choice' });
    } else if (choice?.value === 'feedback:up' || choice?.value === 'feedback:down' || THUMBS.test(text)) {
      const action = choice?.value === 'feedback:down' || /👎/u.test(text) ? 'feedback:down' : 'feedback:up';
      understanding = { lang: current, intent: 'rate', score: 1, entities: { contactKinds: [] }, action, text };
      context.turnState.set(RECOGNITION, { intent: 'rate', score: 1, language: current, source: 'choice' });
    } else if (choice && (INTENT_NAMES as string[]).includes(choice.value)) {
      understanding = { lang: current, intent: choice.value as Intent, score: 1, entities: { contactKinds: [] }, text };
      context.turnState.set(RECOGNITION, { intent: choice.value, score: 1, language: current, source: 'choice' });
    } else {
      const recognition: Recognition = this.deps.recognizer.recognize(text, { current });
      context.turnState.set(RECOGNITION, { intent: recognition.intent, score: recognition.score, language: recognition.language, source: recognition.languageSource });
      if (recognition.switchTo) return this.switchLanguage(context, recognition.switchTo);
      const prefs = await this.deps.accessors.user.get(context, {});
      // An explicit choice sticks: the user asked for that language, whatever they type next.
      const lang = prefs.lang ?? recognition.language;
      understanding = { lang, intent: recognition.intent, score: recognition.score, entities: recognition.entities, text };
      if (recognition.clarify) understanding.clarify = recognition.clarify;
    }
    context.turnState.set(TURN_LANGUAGE, understanding.lang);
    context.turnState.set(UNDERSTANDING, understanding);
    await this.deps.dialog.run(context, this.deps.accessors.dialog);
    await this.rememberChoices(context, understanding.lang);
  }
}

