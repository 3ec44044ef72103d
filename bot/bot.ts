import { ActivityHandler, TurnContext, type BotState } from 'botbuilder';
import { MORE_PREFIX, parseGuideValue, type AnswerBook } from '../dialogs/answers';
import type { MainDialog } from '../dialogs/mainDialog';
import { OUTCOME, UNDERSTANDING, type TurnUnderstanding } from '../dialogs/understanding';
import { type Intent, type Label, INTENT_NAMES, OUT_OF_SCOPE } from '../nlu/intents';
import type { Lang } from '../nlu/languagePack';
import { HOURS_WORDS, type Recognition } from '../nlu/recognizer';
import type { RecognizerLike } from '../nlu/liveRecognizer';
import { foldDiacritics, nfcLower } from '../nlu/text';
import { asksForDocuments, isFollowUp, isQuestion, isYesNoQuestion, namesTopic, refersBack, statesNeed } from '../nlu/questionForm';
import { redact } from '../privacy/redact';
import type { Entities } from '../nlu/entities';
import type { Choice } from './answer';
import { OFFERED_CHOICES, sendAnswer } from './reply';
import type { ConversationData, StateAccessors } from './state';

export const MAX_MESSAGE_LENGTH = 2000;
/** A thumbs emoji alone is a rating of the last answer. */
const THUMBS = /^\s*(👍|👎)(\p{Emoji_Modifier})?\s*$/u;
/** What the NLU made of the user's message, for transcripts. */
export const RECOGNITION = 'iemic.recognition';
export interface RecognitionSummary { intent: string; score: number; language: Lang; source: string; runnerUp?: { intent: string; score: number } }
export const TURN_LANGUAGE = 'iemic.language';
export { OUTCOME } from '../dialogs/understanding';

export interface BotDeps {
  recognizer: RecognizerLike;
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

/** "Yes" to what the assistant just offered. */
const AFFIRMATIVE = /^(ja|jaa|ja ludzu|ludzu|labi|ok|okay|protams|gribu|velos|davai|yes|yes please|yeah|yep|sure|please|of course|please do|go ahead)$/;
/** Small talk never stands beside a content question in "Did you mean". */
const SMALL_TALK: string[] = ['greeting', 'goodbye', 'thanks', 'help', 'bot_identity', 'rate'];
/** Lists are never what "it" stands for: "can I do it online?" asks about a service, not for the list of e-services. */
const LISTS: string[] = ['services_list', 'eservices_list'];
/** A topic the standard is silent on (how long, how much) settles "Did you mean" when its words are this present in a long message. */
const SILENT_OPTION_FIT = 0.25;
/** How much better one reading's facts must fit the message to answer it instead of asking "Did you mean". */
const CLEARLY_BETTER = 0.2;
/** How well a short message's words must fit the last topic's facts to go on with it. */
const LAST_TOPIC_FIT = 0.5;
const NOT_THE_SERVICE = /\b(dzes\w*|izdzes\w*|nonemt|nonem\w*|labot|izlabot|apstrid\w*|parsudz\w*|expung\w*|remov\w*|delet\w*|eras\w*|clear(ed)? my|correct(ed)?|appeal\w*|contest\w*)\b/;
/** "(ne e-pakalpojumus)", "other than online": the e-services named only to leave them out. */
const NOT_ONLINE = /\b(ne|not|besides|except|bez|iznemot|other than|apart from) (e ?pakalpojum\w*|e ?services?|online|tiessaist\w*)\b/;
/** Asked for the hours or the contacts in so many words (folded text). */
const ASKS_HOURS = /\b(reception hours|opening hours|office hours|working hours|business hours|open hours|pienemsanas laik\w*|darba laik\w*|cikos|what time)\b/;
const ASKS_CONTACT = /\b(contact (you|the|them|it|your)|contact details|get in touch|reach (you|the|them)|sazinat\w*|sazinaties|sazinos|kontaktinformacij\w*|kontakti|kontaktus)\b/;
/** A way to send something, not a contact asked for ("pa e-pastu", "by e-mail", "uz faksu"; folded text). */
const BY_MAIL = /\b(pa|uz|ar|by|via|per|through|over)\s+(e-?past\w*|epast\w*|e-?mail\w*|email\w*|faks\w*|fax\w*)|\b(e-?mail|fax)\s+(it|the|my|them|this|that|a|an)\b/;
/** The services a person asks for by name (folded text), each with its guide's topic. */
const NAMED_SERVICES: ReadonlyArray<readonly [Intent, RegExp]> = [
  ['criminal_record_request', /\b(izzin\w* (par|no) sodamib\w*|sodamib\w* izzin\w*|criminal record (certificate|check|extract)|certificate of (no )?criminal record|police (clearance|certificate))\b/],
  ['archive_request', /\b(arhiv\w* izzin\w*|izzin\w* no (centra )?arhiv\w*|archive certificate|archival certificate|certificate from (the|your) archive)\b/],
];
/** Topics whose counter has reception hours: a clock time asked with them is asked of those hours. */
const COUNTER_TOPICS: readonly Intent[] = ['reception_hours', 'criminal_record_collect', 'criminal_record_request', 'representation', 'archive_request'];
/** A question about a place, on folded text; and the words that do ask a duration or a price. */
const WHERE_WORDS = /\b(kur|kura vieta|where)\b/;
const DURATION_OR_PRICE = /\b(cik|how long|how much|when|kad|price|cost|fee|maks\w*)\b/;
/** Words that make a question about rating one ("can I give you a score?"), on folded text. */
const RATING_WORDS = /\b(score|rate|rating|stars?|grade|mark|feedback|vertej\w*|novertej\w*|novertet|atzim\w*|zvaigzn\w*|punkt\w*|atsauksm\w*)\b/;
/** Topics whose papers a documents question may ask for by name; any other topic reads it as about the most requested service. */
const SERVICE_TOPICS: string[] = ['criminal_record_request', 'criminal_record_collect', 'criminal_record_check', 'representation', 'archive_request', 'archive_certificate'];

/** The likeliest other reading that is about the Centre's content (not small talk), when the model's own is ruled out. */
function nextContentIntent(recognition: Recognition): { intent: Label; score: number } | undefined {
  return recognition.ranking.find((r) => r.intent !== recognition.intent && r.intent !== OUT_OF_SCOPE && !SMALL_TALK.includes(r.intent) && r.score >= 0.1);
}

/** A click on an offered choice, its number typed on a channel without buttons, or "yes" to an offered guide. */
function chosen(text: string, offered: Choice[]): Choice | undefined {
  const s = simplify(text);
  if (/^\d{1,2}$/.test(s)) return offered[Number(s) - 1];
  const byTitle = offered.find((c) => simplify(c.title) === s);
  if (byTitle) return byTitle;
  if (AFFIRMATIVE.test(s)) return offered.find((c) => parseGuideValue(c.value) !== undefined);
  return undefined;
}

/** The previous answer's entities, with what the follow-up names instead. */
function mergeEntities(previous: Partial<Entities>, now: Entities): Entities {
  const merged: Entities = { ...(previous as Entities), contactKinds: now.contactKinds.length ? now.contactKinds : previous.contactKinds ?? [] };
  for (const [k, v] of Object.entries(now)) if (v !== undefined && k !== 'contactKinds') (merged as unknown as Record<string, unknown>)[k] = v;
  // a new day replaces the old day, whatever form either had
  if (now.weekday || now.relativeDay || now.date) {
    if (!now.weekday) delete merged.weekday;
    if (!now.relativeDay) delete merged.relativeDay;
    if (!now.date) delete merged.date;
  }
  return merged;
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
    const guide = choice ? parseGuideValue(choice.value) : undefined;
    const fromChoice = (intent: string, extra: Partial<TurnUnderstanding> = {}): TurnUnderstanding => {
      context.turnState.set(RECOGNITION, { intent, score: 1, language: current, source: 'choice' });
      return { lang: current, intent: intent as Intent, score: 1, entities: { contactKinds: [] }, text, chosen: true, ...extra };
    };
    if (guide) {
      understanding = fromChoice(guide.action === 'guide:archive' ? 'archive_request' : 'criminal_record_request', { action: guide.action, slots: guide.slots });
    } else if (choice?.value.startsWith(MORE_PREFIX)) {
      understanding = fromChoice(choice.value.slice(MORE_PREFIX.length), { more: choice.value.slice(MORE_PREFIX.length) });
    } else if (choice?.value === 'feedback:up' || choice?.value === 'feedback:down' || THUMBS.test(text)) {
      const action = choice?.value === 'feedback:down' || /👎/u.test(text) ? 'feedback:down' : 'feedback:up';
      understanding = fromChoice('rate', { action });
    } else if (choice && (INTENT_NAMES as string[]).includes(choice.value)) {
      understanding = fromChoice(choice.value);
    } else {
      const recognition: Recognition = this.deps.recognizer.recognize(text, { current });
      const runner = recognition.ranking.find((r) => r.intent !== recognition.intent);
      context.turnState.set(RECOGNITION, {
        intent: recognition.intent, score: recognition.score, language: recognition.language, source: recognition.languageSource,
        ...(runner ? { runnerUp: { intent: runner.intent, score: runner.score } } : {}),
      });
      if (recognition.switchTo) return this.switchLanguage(context, recognition.switchTo);
      const prefs = await this.deps.accessors.user.get(context, {});
      // An explicit choice sticks: the user asked for that language, whatever they type next.
      const lang = prefs.lang ?? recognition.language;
      understanding = { lang, intent: recognition.intent, score: recognition.score, entities: recognition.entities, text, unknown: recognition.unknown };
      // "Kur varēšu saņemt gatavo arhīva izziņu?": where, not how long or how much (the "ready" misled the model)
      const plain = simplify(text);
      if (this.deps.answers.isSilentTopic(recognition.intent) && WHERE_WORDS.test(plain) && !DURATION_OR_PRICE.test(plain)) {
        const content = nextContentIntent(recognition);
        if (content) {
          understanding.intent = content.intent as Intent;
          understanding.score = content.score;
        }
      }
      // "Will the info I give you stay private?" is a question, not a rating: a rating names a number or a verdict
      if (recognition.intent === 'rate' && isQuestion(text, lang) && !/\d/.test(text) && !RATING_WORDS.test(plain)) {
        const content = nextContentIntent(recognition);
        understanding.intent = content ? (content.intent as Intent) : OUT_OF_SCOPE;
        understanding.score = content?.score ?? recognition.score;
      }
      // A long story around "man vajag izziņu par sodāmību" ("… I live in Norway, flights are expensive …"):
      // the words the model never saw outweigh the service the message names; a stated need of a named
      // service is that service's, not a refusal
      if (recognition.intent === OUT_OF_SCOPE && statesNeed(text)) {
        const named = NAMED_SERVICES.find(([, re]) => re.test(plain))?.[0];
        // (not a need to have a record removed or a decision appealed: the standard says nothing of those)
        if (named && !NOT_THE_SERVICE.test(plain)) {
          understanding.intent = named;
          understanding.score = recognition.ranking.find((r) => r.intent === named)?.score ?? recognition.score;
        }
      }
      let clarify = recognition.clarify;
      // "Did you mean" offers two plausible readings of a question, never small talk beside content
      if (clarify) {
        const content = clarify.filter((i) => !SMALL_TALK.includes(i));
        if (content.length === 1) {
          understanding.intent = content[0]!;
          clarify = undefined;
        } else if (convo.last && clarify.includes(convo.last.intent as Intent)) {
          understanding.intent = convo.last.intent as Intent;
          clarify = undefined;
        }
      }
      // two readings, but the facts of one (or of a third topic) fit the message clearly better: answer that one
      if (clarify) {
        const [a, b] = clarify.map((i) => this.deps.answers.fitOf(i, lang, recognition.entities, text)) as [number, number];
        const third = this.deps.answers.bestTopic(lang, recognition.entities, text);
        // "… how long does it take?", "… how much is it?": what the standard does not give is the question
        const silentOne = clarify.find((i) => this.deps.answers.isSilentTopic(i) && this.deps.answers.fitOf(i, lang, recognition.entities, text) >= SILENT_OPTION_FIT);
        // "the opening hours for submitting documents": the hours, whatever they are for
        const hoursAsked = clarify.includes('reception_hours') && HOURS_WORDS.test(plain);
        // "… statistics … what is that service called?": the one service, not the list of all
        const lists = ['services_list', 'eservices_list'];
        const oneService = lists.some((l) => clarify!.includes(l as Intent)) ? clarify.find((i) => this.deps.answers.isService(i)) : undefined;
        // "Which e-services does the Centre offer?" between the two lists: the e-services when it says so
        const bothLists = lists.every((l) => clarify!.includes(l as Intent));
        // "Kur tieši atrodas centrs, kur iesniegt papīrus izziņai?": where, between the address and a service
        const whereAsked = clarify.includes('address') && WHERE_WORDS.test(plain) && !HOURS_WORDS.test(plain);
        if (hoursAsked) {
          understanding.intent = 'reception_hours';
          clarify = undefined;
        } else if (whereAsked) {
          understanding.intent = 'address';
          clarify = undefined;
        } else if (bothLists) {
          understanding.intent = (recognition.entities.channel === 'eservice' || /\b(e ?pakalpojum\w*|e ?services?|online)\b/.test(plain)) && !NOT_ONLINE.test(plain) ? 'eservices_list' : 'services_list';
          clarify = undefined;
        } else if (oneService) {
          understanding.intent = oneService;
          clarify = undefined;
        } else if (silentOne) {
          understanding.intent = silentOne;
          clarify = undefined;
        } else if (Math.max(a, b) >= 0.5 && Math.abs(a - b) >= CLEARLY_BETTER) {
          understanding.intent = a > b ? clarify[0] : clarify[1];
          clarify = undefined;
        } else if (third && third.score >= 0.6 && third.score >= Math.max(a, b) + 0.2 && this.deps.answers.foreign(recognition.unknown, lang).length === 0 && this.deps.answers.foreignIn(text, lang).length < 2) {
          understanding.intent = third.intent;
          clarify = undefined;
        }
      }
      if (clarify) understanding.clarify = clarify;
      // "Could I still collect my certificate at 17:30 on a Thursday?": a clock time asked about coming
      // to the counter is a question of the hours, at the place of that service
      // ("vai sestdien var atnākt iesniegt dokumentus?": a day asked as yes or no, too)
      const e = recognition.entities;
      const dayAsked = e.weekday !== undefined || e.date !== undefined || (e.relativeDay !== undefined && e.relativeDay !== 'now');
      if ((e.time !== undefined || (dayAsked && isYesNoQuestion(text, lang))) && !e.asksNext && isQuestion(text, lang)
        && (recognition.entities.channel === undefined || recognition.entities.channel === 'in_person')) {
        const counter = [understanding.intent, ...(clarify ?? []), ...recognition.ranking.slice(0, 2).map((r) => r.intent)]
          .find((i) => COUNTER_TOPICS.includes(i as Intent));
        if (counter && (understanding.intent === counter || understanding.intent === OUT_OF_SCOPE || clarify)) {
          const archive = counter === 'archive_request' || recognition.entities.place === 'archive';
          understanding.intent = 'reception_hours';
          understanding.entities = { ...understanding.entities, ...(archive ? { place: 'archive' as const } : {}) };
          clarify = undefined;
          delete understanding.clarify;
        }
      }
      // "What are the reception hours for submitting requests?", "How can I contact the Archive Department?":
      // the hours or the contacts of that service's place, not the service's procedure
      // ("where is it and how do I contact it?" asks more than the contacts: the topic answers both)
      const asks = ASKS_HOURS.test(plain) ? 'reception_hours'
        : ASKS_CONTACT.test(plain) && recognition.entities.contactKinds.length === 0 && !WHERE_WORDS.test(plain) ? 'contacts' : undefined;
      const topRanked = recognition.ranking.find((r) => r.intent !== OUT_OF_SCOPE)?.intent as Intent | undefined;
      const counterAsked = COUNTER_TOPICS.includes(understanding.intent as Intent) || understanding.intent === 'about_centre'
        || (understanding.intent === OUT_OF_SCOPE && topRanked !== undefined && COUNTER_TOPICS.includes(topRanked));
      if (asks && !understanding.clarify && isQuestion(text, lang) && counterAsked
        && understanding.intent !== asks && (recognition.entities.channel === undefined || recognition.entities.channel === 'in_person')) {
        const archive = understanding.intent === 'archive_request' || recognition.entities.place === 'archive';
        understanding.intent = asks;
        understanding.entities = { ...understanding.entities, ...(archive ? { place: 'archive' as const } : {}) };
      }
      // "un pa pastu kādu adresi rakstīt?": the address asked in so many words is the address, not every contact
      if (understanding.intent === 'contacts' && /\b(adres\w*|address\w*)\b/.test(plain) && recognition.entities.contactKinds.length === 0) understanding.intent = 'address';
      // "what online services do you provide?": of the Centre's services, those it names
      if (understanding.intent === 'services_list' && recognition.entities.channel === 'eservice' && !NOT_ONLINE.test(plain)) understanding.intent = 'eservices_list';
      const last = convo.last;
      // "uz kuru adresi?" after "vai var pa e-pastu?": the e-mail address, not the street
      const mailAddress = last !== undefined && understanding.intent === 'address' && (last.entities.channel === 'email' || last.entities.channel === 'fax')
        && !recognition.entities.place && !recognition.entities.channel && SERVICE_TOPICS.includes(last.intent) && text.split(/\s+/).length <= 5
        // (a way to send it, not a contact asked for: "arhīva e-pasts?" then "un adrese?" is the street)
        && BY_MAIL.test(foldDiacritics(nfcLower(last.text)));
      const follow = last ? (mailAddress ? 'topic' : this.continuesLast(text, recognition, last.intent)) : 'no';
      if (last && follow !== 'no') {
        if (follow === 'topic') {
          understanding.intent = last.intent as Intent;
          understanding.score = Math.max(recognition.score, 0.5);
          delete understanding.clarify;
        }
        // "and an archive certificate?" after "can I request it on Latvija.lv?": the new topic, the old question
        understanding.entities = mergeEntities(last.entities, recognition.entities);
        understanding.context = `${last.text} ${text}`.trim();
      } else if (!last && !SMALL_TALK.includes(understanding.intent) && understanding.intent !== 'reception_hours'
        && ((refersBack(text) && (recognition.score < 0.85 || recognition.clarify || LISTS.includes(understanding.intent)))
          || (asksForDocuments(text) && !SERVICE_TOPICS.includes(understanding.intent) && !this.deps.answers.isService(understanding.intent)))) {
        // "kā to var dabūt?", "can I do it online?", "kādi dokumenti vajadzīgi?" with nothing before:
        // the Centre's most requested service, said so in the answer
        understanding.intent = OUT_OF_SCOPE;
        delete understanding.clarify;
      } else if (last && text.split(/\s+/).length <= 3 && ['reception_hours', 'address', 'contacts'].includes(understanding.intent) && !recognition.entities.place) {
        // "cikos?" after the archive certificate: the archive's hours
        const place = last.entities.place ?? (last.intent === 'archive_request' ? 'archive' : undefined);
        if (place) understanding.entities = { ...understanding.entities, place };
      }
    }
    context.turnState.set(TURN_LANGUAGE, understanding.lang);
    context.turnState.set(UNDERSTANDING, understanding);
    await this.deps.dialog.run(context, this.deps.accessors.dialog);
    await this.rememberChoices(context, understanding.lang);
    this.rememberTopic(convo, understanding, context);
  }

  /** An elliptical message ("un piektdien?", "and by post?", "for my son") continues the last content answer. */
  private continuesLast(text: string, recognition: Recognition, lastIntent: string): 'topic' | 'question' | 'no' {
    const e = recognition.entities;
    const namesSomething = e.weekday !== undefined || e.relativeDay !== undefined || e.date !== undefined || e.time !== undefined
      || e.place !== undefined || e.subject !== undefined || e.channel !== undefined || e.contactKinds.length > 0;
    const sure = recognition.intent !== OUT_OF_SCOPE && !recognition.clarify && recognition.score >= 0.85;
    // "un arhīva nodaļa?" after an address or hours answer: the same question about that place
    if (isFollowUp(text, false) && e.place !== undefined && ['address', 'contacts', 'reception_hours'].includes(lastIntent)) return 'topic';
    // "is it open tomorrow?" is plainly an hours question, whatever "it" is
    if (refersBack(text) && !isFollowUp(text, false)) return sure ? 'no' : 'topic';
    // "un kad tur pieņem?" after the archive's address: the hours of that place, however sure the model is
    // (an hours follow-up after any topic keeps that topic's place)
    const placeTopics = ['address', 'contacts', 'reception_hours'];
    if (isFollowUp(text) && placeTopics.includes(recognition.intent) && recognition.intent !== lastIntent && recognition.score >= 0.5
      && (placeTopics.includes(lastIntent) || recognition.intent === 'reception_hours')) return 'question';
    // "un uz vietas?" after where to give feedback: the same topic, however sure the model is of another one
    if (isFollowUp(text)) return sure && recognition.intent !== lastIntent && namesTopic(text) ? 'question' : 'topic';
    // a short answer that only names a person, a day or a channel ("it's for myself", "pa pastu")
    const words = text.split(/\s+/).length;
    if (words <= 5 && namesSomething && !sure) return 'topic';
    // "kura sadaļa?" after the archive's e-service: words the model never saw, but the last topic's facts have them
    if (words <= 3 && recognition.unknown.length > 0 && this.deps.answers.foreign(recognition.unknown, recognition.language).length === 0
      && this.deps.answers.fitOf(lastIntent as Intent, recognition.language, e, text) >= LAST_TOPIC_FIT) return 'topic';
    // "kurā sadaļā?", "and then?": a short question the model cannot place goes on with the topic
    return words <= 3 && (recognition.intent === OUT_OF_SCOPE || recognition.score < 0.6) ? 'topic' : 'no';
  }

  private rememberTopic(convo: ConversationData, u: TurnUnderstanding, context: TurnContext): void {
    const outcome = context.turnState.get(OUTCOME) as string | undefined;
    if (outcome !== 'answered' || u.intent === OUT_OF_SCOPE || SMALL_TALK.includes(u.intent)) return;
    // state is stored: the words of the question, never the personal data typed in it
    convo.last = { intent: u.intent, entities: { ...u.entities }, text: redact(u.text ?? '').slice(0, 300) };
  }
}

