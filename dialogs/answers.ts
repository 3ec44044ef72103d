import type { Answer, Choice } from '../bot/answer';
import { HoursAnswers, type Clock } from './hoursAnswer';
import type { Knowledge } from '../knowledge/loader';
import type { Contact, Fact, Localized, Service, Topic } from '../knowledge/schema';
import { LiveKnowledge } from '../knowledge/overlay';
import { FactMatcher } from '../nlu/factMatcher';
import { PACKS } from '../nlu/packs';
import { isYesNoQuestion } from '../nlu/questionForm';
import { foldDiacritics, nfcLower } from '../nlu/text';
import type { Messages, Translate } from '../locales/i18n';
import type { Entities } from '../nlu/entities';
import type { Intent } from '../nlu/intents';
import type { Lang } from '../nlu/languagePack';

/** The Centre's own name, stemmed in either language ('centrs', 'centra', 'centre', 'center'). */
const CENTRE_STEM = /^cent(?:r|er)/;
/** The words of a yes/no question about the address itself ("vai jūs atrodaties Bruņinieku ielā?", "is your office still at 72B?"). */
const ADDRESS_WORDS = /\b(atrod\w*|atrasan\w*|located|location|situated|office|offices|still|joprojam|vel arvien|moved|parcel\w*|street|iela|iela\w*|ielu|bruni\w*|ciekurkaln\w*|linij\w*|riga|riga\w*|building|eka|eka\w*|\w*\d\w*)\b/g;
/** A question for a place (folded text). */
const WHERE_WORDS = /\b(kur|kurp|where|wheres|which|what|kada|kadu|kura|kuru)\b/;
/** Words that make a "where" the Centre's own: its name, its departments and streets, "you". */
const OWN_PLACES = /\b(centr\w*|cent(?:re|er)s?|ic|iem|arhiv\w*|archive\w*|nodal\w*|department|office|bruninieku|ciekurkaln\w*|jus|jums|jusu|you|your|yours|ministr\w*|iestad\w*|klientu|client\w*)\b/;
/** "who is …?", "kas ir …?": a question for a thing, not for what the Centre does ("who does the Centre report to?"). */
const ASKS_WHAT_IS: Record<Lang, RegExp> = {
  lv: /\b(?:kas|kurs|kura|kads|kada|kadi)\s+(?:ir|bija|ta)\b/,
  en: /\b(?:who|what|which)(?:\s+(?:is|are|was|were)\b|'s\b|s\b)/,
};
/** Which knowledge services answer a service intent. */
const SERVICE_INTENTS: Partial<Record<Intent, string[]>> = {
  admin_penalties_certificate: ['admin_penalties_certificate'],
  legal_person_certificate: ['legal_person_certificate'],
  invalid_documents: ['invalid_documents'],
  cultural_objects: ['cultural_object_status', 'cultural_object_description'],
  crime_map: ['crime_map', 'mapped_data'],
  admin_fines: ['admin_fines'],
  biometrics: ['biometrics', 'biometrics_information'],
  weapons: ['weapons'],
  online_data: ['online_data'],
  data_exchange: ['data_exchange'],
  statistics: ['statistics'],
  radio: ['radio'],
};

/** Intents whose answer is a topic of knowledge/topics.json with the same id. */
const TOPIC_INTENTS: Intent[] = [
  'about_centre', 'service_principles', 'client_rules', 'feedback', 'fees', 'processing_time', 'notices',
  'criminal_record_request', 'criminal_record_collect', 'criminal_record_check', 'representation', 'archive_request',
];

/** Where a knowledge id (topic or service) leads when offered as a next choice. */
const ID_TO_INTENT: Record<string, Intent> = {
  criminal_record: 'criminal_record_request',
  criminal_record_eservice: 'criminal_record_request',
  archive_certificate: 'archive_request',
  cultural_object_status: 'cultural_objects',
  cultural_object_description: 'cultural_objects',
  mapped_data: 'crime_map',
  biometrics_information: 'biometrics',
  client_channels: 'contacts',
};

const NEXT: Partial<Record<Intent, Intent[]>> = {
  address: ['reception_hours', 'contacts', 'criminal_record_request'],
  contacts: ['address', 'reception_hours', 'feedback'],
  reception_hours: ['address', 'criminal_record_request', 'archive_request'],
  services_list: ['eservices_list', 'criminal_record_request', 'archive_request'],
  eservices_list: ['services_list', 'admin_fines', 'invalid_documents'],
  greeting: ['criminal_record_request', 'reception_hours', 'address', 'contacts'],
};

/** Topics whose answer offers a step-by-step guide, and the choice value that starts it. */
export const GUIDES: Record<string, GuideAction> = {
  criminal_record_request: 'guide:criminal_record', criminal_record_collect: 'guide:criminal_record', representation: 'guide:criminal_record',
  archive_request: 'guide:archive',
};
export type GuideAction = 'guide:criminal_record' | 'guide:archive';
/** A guide's choice value with the slots the question already gave: "guide:criminal_record?subject=minor&channel=post". */
export function guideValue(action: GuideAction, slots: Record<string, string>): string {
  const q = new URLSearchParams(slots).toString();
  return q ? `${action}?${q}` : action;
}
export function parseGuideValue(value: string): { action: GuideAction; slots: Record<string, string> } | undefined {
  const [action, query] = value.split('?', 2) as [string, string | undefined];
  if (action !== 'guide:criminal_record' && action !== 'guide:archive') return undefined;
  return { action, slots: Object.fromEntries(new URLSearchParams(query ?? '')) };
}
/** "More on this": the whole topic. */
export const MORE_PREFIX = 'more:';

/** What the user asked, for the second stage that picks the facts answering it. */
export interface Asked {
  text: string;
  /** A follow-up's previous question and this message together ("Can I send it by fax?" + "and by post?"). */
  context?: string;
  /** Content words (stems) no training phrase has: the message may ask what the standard does not say. */
  unknown?: string[];
  /** Guide slots to prefill when a guide is offered. */
  slots?: Record<string, string>;
  /** How sure the model was of the topic (0..1); a doubtful topic gives way to a better fact sooner. */
  score?: number;
}

/** A fact answers the message better than the topic as a whole by this much of the message's information. */
const FACT_MARGIN = 0.1;
const FACT_FLOOR = 0.3;
/** A fact this good and this far ahead of the topic's other facts is asked even when the topic as a whole fits as well. */
const SINGLE_FACT_FIT = 0.5;
const SINGLE_FACT_LEAD = 0.25;
/** A message that fits the topic as a whole this well names the topic: no single fact stands out of it. */
const TOPIC_NAMED = 0.9;
/** A yes/no question on a topic answered whole (fees) that a fact with a yes/no form answers this well gets that fact. */
const YES_NO_FIT = 0.6;
/** A guide's first message: the rules that apply take at most this many characters before the procedure's line. */
const INTRO_RULES_CHARS = 180;
/** The two rules for someone who cannot come (the message 'introAbsent' says both in one sentence). */
const ABSENT_PAIR = ['rep.submit_anyone', 'rep.collect_poa'];
const SERVICES_GROUP = '@services';
// "(ne e-pakalpojumus)", "besides e-services" ask for the other list
const E_SERVICE_WORDS = /(?<!\b(ne|not|besides|except|bez|iznemot|other than) )\b(e-?pakalpojum\w*|e-?services?|online|tiessaist\w*|interneta)\b/;
/** A fact the message's entities (who, channel, place) point to. */
const ENTITY_BONUS = 0.6;
/** A question for a list of services ("which services…?") names one service only with a match this close. */
const ONE_SERVICE_OVER_LIST = 0.8;
/** One service this far ahead of the next is the one a message asks about. */
const CLEAR_SERVICE_LEAD = 0.15;
const LIST_ASKED = /\b(what|which|kad\w*|kuri\w*|list|saraksts?)\b.*\b(services|e ?services|pakalpojumi|pakalpojumus|e ?pakalpojumi|e ?pakalpojumus)\b/;
/** Taken off a fact about submitting when the message asks about collecting, and the other way round. */
const ACTION_MISMATCH = 0.15;
type Action = 'submit' | 'collect';
const COLLECT_WORDS = /\b(collect\w*|pick\w* (it |them )?up|izn?emt|iznem\w*|panemt|panem\w*|izsniedz\w*|izsniegt|sanemt|sanem\w*)\b/;
const SUBMIT_WORDS = /\b(submit\w*|send\w*|sent|apply\w*|hand\w* in|lodg\w*|iesniedz\w*|iesniegt|iesnieg\w*|nosutit|nosut\w*|sutit)\b/;
/** A question word: the message asks what, which, where, when or how, not yes or no. */
const WH_WORD = /\b(what|which|where|when|how|who|whom|kas|kads|kada|kadi|kadas|kadu|kadus|kura|kuru|kuri|kuras|kur|kad|cik|kapec)\b/;
const simplify = (text: string) => foldDiacritics(nfcLower(text)).replace(/[^\p{L}\p{N}]+/gu, ' ');
/** What a (folded) text is about: submitting, collecting, or both or neither (undefined). */
function actionOf(text: string): Action | undefined {
  const collect = COLLECT_WORDS.test(text);
  const submit = SUBMIT_WORDS.test(text);
  return collect === submit ? undefined : collect ? 'collect' : 'submit';
}
const otherAction = (a: Action): Action => (a === 'collect' ? 'submit' : 'collect');
/** A question naming no service must match a criminal record fact this well to be answered with it. */
const GENERIC_FLOOR = 0.5;
/** With words the knowledge has never seen, a topic answers only when one of its facts fits this well. */
const SILENT_FIT = 0.55;
/** An apostille or a legalisation for use abroad (folded text): the standard says nothing of either. */
const LEGALISATION = /\b(apostil\w*|apostill\w*|legali[sz]\w*|legalizet\w*|legalizacij\w*)\b/;
/** Topics about the Centre itself, its place and its conduct, where words no fact has are often only the story. */
const CENTRE_OWN_TOPICS: Intent[] = ['address', 'contacts', 'reception_hours', 'about_centre', 'notices', 'client_rules', 'service_principles'];
/** A message this long may tell a story around its question (words no fact has that are not what it asks). */
const STORY_WORDS = 15;
/** Another topic's fact must fit this well, and this much better than the recognized topic, to answer instead. */
const NEAR_MISS_FIT = 0.6;
const NEAR_MISS_MARGIN = 0.3;
/** Below this intent score the model's topic is a guess: half the margin is enough for another topic's fact. */
const DOUBTFUL_TOPIC = 0.5;
/** A fact that fits a "services" question this well answers it instead of the list. */
const LIST_NEAR_MISS_FIT = 0.78;
/** A question about a duration ("cik ilgi", "how long", "how far back"), on folded text. */
const HOW_LONG = /\b(cik ilgi|cik ilgs|cik ilgu|cik gadus|how long|how far back|how many years|for how long)\b/;
const WHICH_WORDS = /\b(kad\w*|kuri\w*|kuras|what|which|list|saraksts?)\b/;
/** An out-of-scope message is answered with a fact only when the fact has this much of its words' weight. */
const ANYWHERE_FIT = 0.7;
/** Words of a question about getting a document that names no document. */
const GENERIC_WORDS = /\b(dokument\w*|lidzi|janem\w*|dabut|dabu|sanemt|sanem\w*|iesniegt|iesniedz\w*|sutit|nosutit|pieprasit|pieprasijum\w*|izzin\w*|pilnvar\w*|nokart\w*|kartot|internet\w*|tiessaist\w*|kur|kad|documents?|bring|get it|obtain|receive|collect|submit|send|apply|request|certificate|online|internet|sort it out|arrange|where|when|proxy|attorney)\b/;

export const MAIN_TOPICS: Intent[] = ['criminal_record_request', 'reception_hours', 'address', 'contacts', 'services_list', 'archive_request'];
export const FALLBACK_TOPICS: Intent[] = ['criminal_record_request', 'reception_hours', 'contacts'];

/** Builds every answer from knowledge/ and locales/; no user-facing text lives here. */
export class AnswerBook {
  readonly hoursAnswers: HoursAnswers;
  private built: { facts: readonly Fact[]; matcher: FactMatcher } | undefined;
  /** Matcher builds so far (the first, then one per change of the knowledge's facts). */
  private builds = 0;
  /** The files' words of each fact, by id: what the index matches, whatever staff's edits say. */
  private readonly written: Map<string, Fact>;

  constructor(private readonly knowledge: Knowledge, private readonly messages: Messages, clock: Clock = () => new Date()) {
    this.hoursAnswers = new HoursAnswers(knowledge, clock);
    this.written = new Map((knowledge instanceof LiveKnowledge ? knowledge.base : knowledge).facts.map((f) => [f.id, f]));
  }

  /** How many times the fact index was built (a new one only when the knowledge's facts changed). */
  get matcherBuilds(): number {
    return this.builds;
  }

  /** The fact index of the knowledge's facts now: rebuilt when they are a new list (a question taught to a fact). */
  private get matcher(): FactMatcher {
    const facts = this.knowledge.facts;
    if (this.built?.facts !== facts) {
      this.built = { facts, matcher: this.buildMatcher(facts) };
      this.builds++;
    }
    return this.built.matcher;
  }

  private buildMatcher(facts: readonly Fact[]): FactMatcher {
    const docs = facts.map((f) => {
      const w = this.written.get(f.id) ?? f;
      return {
        id: f.id, group: f.topic,
        texts: { lv: [w.text.lv, ...f.answers.lv], en: [w.text.en, ...f.answers.en] },
        // the yes/no form may mention a neighbouring fact ("… saņemt gan var tikai pilnvarota persona")
        weak: { lv: [w.yes?.lv ?? ''], en: [w.yes?.en ?? ''] },
      };
    });
    // the topic as a whole is a candidate too: a message that matches it as well as any one fact asks about the topic
    const topics = this.knowledge.topics.map((t) => ({
      id: `topic:${t.id}`, group: t.id,
      texts: { lv: [t.title.lv, ...(t.answers?.lv ?? [])], en: [t.title.en, ...(t.answers?.en ?? [])] },
      weak: { lv: [t.lead.lv], en: [t.lead.en] },
    }));
    const services = this.knowledge.services.map((sv) => ({
      id: `service:${sv.id}`, group: SERVICES_GROUP,
      texts: { lv: [sv.name.lv, sv.short.lv, sv.description.lv, ...(sv.answers?.lv ?? [])], en: [sv.name.en, sv.short.en, sv.description.en, ...(sv.answers?.en ?? [])] },
    }));
    return new FactMatcher([...docs, ...topics, ...services], PACKS);
  }

  private loc(text: Localized, lang: Lang): string {
    return text[lang];
  }

  choice(intent: Intent, lang: Lang): Choice {
    return { title: this.messages.for(lang)(`menu.${intent}`), value: intent };
  }

  private choices(intents: Intent[], lang: Lang): Choice[] {
    return [...new Set(intents)].map((i) => this.choice(i, lang));
  }

  /** The Centre's main phone and e-mail, for "ask a person" answers. */
  centreContact(): { phone: string; email: string } {
    const centre = this.knowledge.place('centre');
    const phone = centre.contacts.find((c) => c.kind === 'phone')?.value ?? '';
    const email = centre.contacts.find((c) => c.kind === 'email')?.value ?? '';
    return { phone, email };
  }

  welcome(lang: Lang): Answer {
    const t = this.messages.for(lang);
    const notices = this.hoursAnswers.notices('start', lang);
    const text = notices.length ? `${notices.join('\n\n')}\n\n${t('welcome.text')}` : t('welcome.text');
    return { text, note: t('welcome.hint'), choices: this.choices(MAIN_TOPICS, lang) };
  }

  help(lang: Lang): Answer {
    const t = this.messages.for(lang);
    return { text: t('help.text'), note: t('help.more'), choices: this.choices(MAIN_TOPICS, lang) };
  }

  /** A short message followed by the main topics as choices. */
  withMenu(lang: Lang, text: string): Answer {
    return { text, choices: this.choices(MAIN_TOPICS, lang) };
  }

  fallback(lang: Lang): Answer {
    const t = this.messages.for(lang);
    return { text: t('fallback.text', this.centreContact()), note: t('fallback.topics'), choices: this.choices(FALLBACK_TOPICS, lang) };
  }

  clarify(lang: Lang, options: Intent[]): Answer {
    const t = this.messages.for(lang);
    return { text: t('clarify'), choices: this.choices(options, lang) };
  }

  simple(lang: Lang, key: string, vars: Record<string, string | number> = {}): Answer {
    return { text: this.messages.for(lang)(key, { ...this.centreContact(), ...vars }) };
  }

  forIntent(intent: Intent, lang: Lang, entities: Entities, asked?: Asked): Answer {
    const t = this.messages.for(lang);
    // "is there parking?", "wheelchair access?": words that no fact or phrase has, on a place or contact question
    const unknown = this.foreign(asked?.unknown, lang);
    // "is there parking near Bruņinieku 72B?", "who is your director?": the place is named, but not asked for
    const cue = COMPUTED_CUES[intent];
    if (asked && cue && !cue.test(foldDiacritics(nfcLower(asked.context ?? asked.text))) && !hasWhen(entities)) return this.silent(lang, intent);
    // the message folded once, for the checks below
    const folded = asked ? foldDiacritics(nfcLower(asked.text)) : '';
    // (unless one of its facts clearly answers a long message whose story has the unknown words:
    // "… I was quite angry. What must staff do when they refuse a service?")
    if (unknown.length >= 2 && CENTRE_OWN_TOPICS.includes(intent) && !(asked && this.storyAround(intent, lang, entities, asked.text, unknown))) {
      return this.silent(lang, intent);
    }
    // "can the certificate from Latvija.lv be apostilled?": a legalisation the standard never covers, however well the
    // rest of the message fits a fact (it got the e-service's "Yes")
    if (asked && LEGALISATION.test(folded)) return this.silent(lang, intent);
    // "who is your director?": about the Centre, a word no fact has is the thing asked, and the standard does not say it
    if (asked && intent === 'about_centre' && !asked.context && ASKS_WHAT_IS[lang].test(folded) && this.onlyUnknownWords(asked.text, lang)) return this.silent(lang, intent);
    // "vai pie Centra ir autostāvvieta?", "is the building wheelchair accessible?": asked as yes or no about the
    // address, a word no fact has is the thing asked, not where the Centre is
    if (asked && intent === 'address' && !asked.context && isYesNoQuestion(asked.text, lang) && !WHERE_WORDS.test(folded)
      && this.foreignIn(folded.replace(ADDRESS_WORDS, ' '), lang).length >= 1) return this.silent(lang, intent);
    // "kur tuvākā aptieka?", "where is the parking?": a place no fact or phrase names, with nothing of the Centre's, is not its address
    if (asked && intent === 'address' && !asked.context && this.onlyUnknownWords(asked.text, lang) && !OWN_PLACES.test(folded)) return this.silent(lang, intent);
    // "can I book an appointment online?": a list answers what it lists, not a word it has never seen
    if (unknown.length >= 1 && (intent === 'services_list' || intent === 'eservices_list') && !(asked && this.oneService(lang, t, asked))) return this.silent(lang, intent);
    // "how long does the archive keep records?", "how far back do they go?": durations the standard does not give
    if (asked && !['processing_time', 'reception_hours'].includes(intent) && HOW_LONG.test(folded) && !hasWhen(entities)) return this.silent(lang, intent);
    switch (intent) {
      case 'greeting': return { text: t('greeting'), choices: this.choices(NEXT.greeting ?? [], lang) };
      case 'help': return this.help(lang);
      case 'thanks': return this.simple(lang, 'thanks');
      case 'goodbye': return this.simple(lang, 'goodbye');
      case 'bot_identity': return { ...this.simple(lang, 'identity'), choices: this.choices(MAIN_TOPICS.slice(0, 3), lang) };
      case 'address': return this.address(lang, t, entities);
      case 'contacts': return this.contacts(lang, t, entities, asked);
      // "arhīva telefons": the Archive department's numbers, not the whole archive procedure
      case 'archive_request': if (entities.contactKinds.length) return this.contacts(lang, t, { ...entities, place: 'archive' }, asked); break;
      case 'reception_hours': return this.hours(lang, t, entities, asked);
      // "what e-services …?" read as the services list: the words say which list
      case 'services_list': return this.oneService(lang, t, asked) ?? this.listNearMiss(lang, entities, asked) ?? this.serviceList(lang, t, asked && E_SERVICE_WORDS.test(foldDiacritics(nfcLower(asked.text))) ? 'eservice' : 'service');
      case 'eservices_list': return this.oneService(lang, t, asked) ?? this.serviceList(lang, t, 'eservice');
      default: break;
    }
    if (TOPIC_INTENTS.includes(intent)) {
      const topic = this.knowledge.topic(intent);
      if (topic) return asked ? this.answerFromTopic(topic, lang, entities, asked) : this.topicAnswer(topic, lang);
    }
    const serviceIds = SERVICE_INTENTS[intent];
    if (serviceIds) {
      const answer = this.serviceAnswer(serviceIds, lang, t);
      // "Can I check online …?", "Do you issue … for companies?": the service exists
      if (asked && isYesNoQuestion(asked.text, lang)) answer.text = `${t('yes')}. ${answer.text}`;
      return answer;
    }
    return this.fallback(lang);
  }

  private related(ids: string[], lang: Lang): Choice[] {
    const intents = ids.map((id) => ID_TO_INTENT[id] ?? (id as Intent)).filter((i) => this.messages.has(lang, `menu.${i}`));
    return this.choices(intents, lang);
  }

  /** The topic as a whole: its lead (or the whole of it in one line), then every fact of it. */
  topicAnswer(topic: Topic, lang: Lang, slots: Record<string, string> = {}): Answer {
    const facts = this.knowledge.factsOf(topic.id).filter((f) => f.inTopic);
    // the first sentence answers: the whole topic in one line, or what the standard does not give, before any title
    const answer: Answer = { text: this.loc(topic.short ?? topic.lead, lang), items: facts.map((f) => this.loc(f.item ?? f.text, lang)) };
    if (topic.note) answer.note = this.loc(topic.note, lang);
    if (topic.links.length) answer.links = topic.links.map((l) => ({ title: this.loc(l.title, lang), url: l.url }));
    const guide = GUIDES[topic.id];
    const choices = [...(guide ? [{ title: this.messages.for(lang)('guide.offer'), value: guideValue(guide, slots) }] : []), ...this.related(topic.related, lang)];
    if (choices.length) answer.choices = choices;
    answer.provenance = { topic: topic.id, facts: facts.map((f) => f.id), sections: [...topic.source] };
    return answer;
  }

  /** Lexical score of each fact of a topic, with a bonus for a fact the message's entities point to. */
  private readonly factActions = new Map<string, Action | undefined>();

  /** Whether a fact's text is about submitting or about collecting (undefined: both or neither). */
  private actionOfFact(fact: Fact, lang: Lang): Action | undefined {
    const key = `${lang}:${fact.id}`;
    if (!this.factActions.has(key)) this.factActions.set(key, actionOf(simplify(fact.text[lang])));
    return this.factActions.get(key);
  }

  private factScores(topic: Topic, lang: Lang, entities: Entities, text: string, bonus = ENTITY_BONUS): { whole: number; ranked: Array<{ fact: Fact; score: number }> } {
    const lexical = new Map(this.matcher.match(text, lang, topic.id).map((s) => [s.id, s.score]));
    // absence points to who may act for the person, not to which of those rules is asked: the words decide
    const named: Entities = { ...entities, absent: undefined };
    // "who can collect it for me?" is not answered by who may submit it, nor the other way round
    const asked = actionOf(simplify(text));
    const ranked = this.knowledge.factsOf(topic.id)
      .map((fact) => ({ fact, score: (lexical.get(fact.id) ?? 0) + (whenMatches(fact, named) ? bonus : 0) - (asked && this.actionOfFact(fact, lang) === otherAction(asked) ? ACTION_MISMATCH : 0) }))
      .sort((a, b) => b.score - a.score);
    return { whole: lexical.get(`topic:${topic.id}`) ?? 0, ranked };
  }

  /** The facts of a topic that answer the message, best first; [] when it asks about the topic as a whole. */
  selectFacts(topic: Topic, lang: Lang, entities: Entities, text: string, standalone = true): Fact[] {
    if (topic.whole) return [];
    const { whole, ranked } = this.factScores(topic, lang, entities, text);
    const [best, second] = ranked;
    if (!best || best.score < FACT_FLOOR) return [];
    // the lead names every fact, so it shares the words of any one of them: one fact far ahead of
    // the others is what is asked ("what does high-quality service mean in your values?")
    // ("sodāmības izziņa" names the topic itself: its e-service's name shares the words, but the topic is asked)
    const standsOut = standalone && whole < TOPIC_NAMED && best.score >= SINGLE_FACT_FIT && best.score >= whole - FACT_MARGIN / 2 && best.score - (second?.score ?? 0) >= SINGLE_FACT_LEAD;
    if (best.score < whole + FACT_MARGIN && !standsOut) return [];
    // a fact that restates the topic's lead asks about the topic as a whole, unless it is asked as yes or no
    return best.fact.inTopic || (best.fact.yes && isYesNoQuestion(text, lang)) ? [best.fact] : [];
  }

  /** "Is there a price list at your office?": a fact with a yes/no form, of the topic or a related one, that plainly answers a yes/no question. */
  private yesNoFact(topic: Topic, lang: Lang, text: string): Fact[] {
    if (!isYesNoQuestion(text, lang)) return [];
    let best: { fact: Fact; score: number } | undefined;
    for (const id of [topic.id, ...topic.related]) {
      for (const m of this.matcher.match(text, lang, id)) {
        const fact = m.id.startsWith('topic:') ? undefined : this.knowledge.fact(m.id);
        if (fact?.yes && m.score > (best?.score ?? 0)) best = { fact, score: m.score };
      }
    }
    return best && best.score >= YES_NO_FIT ? [best.fact] : [];
  }

  /** Of the words the model has not seen, those no fact has either: what the message asks that the standard may not say. */
  foreign(unknown: string[] | undefined, lang: Lang): string[] {
    return (unknown ?? []).filter((stem) => !this.matcher.knows(stem, lang));
  }

  /** "who is the Centre's director?", "where is the nearest pharmacy?": besides the Centre's name, the message's only content words are ones no fact has. */
  private onlyUnknownWords(text: string, lang: Lang): boolean {
    const stems = this.matcher.contentStems(text, lang).filter((s) => !CENTRE_STEM.test(s));
    return stems.length > 0 && stems.every((s) => !this.matcher.knows(s, lang));
  }

  /** Every content word of the message that no fact has, whether or not the model has seen it. */
  foreignIn(text: string, lang: Lang): string[] {
    return this.matcher.unknownStems(text, lang);
  }

  /** How well the best fact of a topic answers the message (0..1+), for choosing between two readings. */
  fitOf(intent: Intent, lang: Lang, entities: Entities, text: string): number {
    const topic = this.knowledge.topic(intent);
    if (!topic) return 0;
    const { whole, ranked } = this.factScores(topic, lang, entities, text);
    return topic.whole ? whole : Math.max(whole, ranked[0]?.score ?? 0);
  }

  /** An intent answered with one of the Centre's services (statistics, weapons, …). */
  isService(intent: string): boolean {
    return (SERVICE_INTENTS as Record<string, string[] | undefined>)[intent] !== undefined;
  }

  /** Topics answered whole because their lead says what the standard does not give (fees, processing times). */
  isSilentTopic(intent: string): boolean {
    return this.knowledge.topic(intent)?.whole === true;
  }

  /** The topic (an intent of the same name) whose facts fit the message best. */
  bestTopic(lang: Lang, entities: Entities, text: string): { intent: Intent; score: number } | undefined {
    let best: { intent: Intent; score: number } | undefined;
    for (const topic of this.knowledge.topics) {
      if (!this.messages.has(lang, `menu.${topic.id}`)) continue;
      const score = this.fitOf(topic.id as Intent, lang, entities, text);
      if (score > (best?.score ?? 0)) best = { intent: topic.id as Intent, score };
    }
    return best;
  }

  /** The fact's own words for this message: "Jā, …" or "Nē, …" for a yes/no question where the fact decides it. */
  private factText(fact: Fact, lang: Lang, text: string): string {
    if (!isYesNoQuestion(text, lang)) return this.loc(fact.text, lang);
    const folded = ` ${foldDiacritics(nfcLower(text)).replace(/[^\p{L}\p{N}]+/gu, ' ')} `;
    const negated = fact.no && fact.noWhen?.[lang].some((w) => folded.includes(` ${foldDiacritics(nfcLower(w))} `));
    if (negated && fact.no) return this.loc(fact.no, lang);
    return this.loc(fact.yes ?? fact.text, lang);
  }

  /** Facts of the topic's related topics that the message's entities point to ("for my son" on the request topic). */
  private relatedByEntities(topic: Topic, entities: Entities, lang: Lang, text: string): Fact[] {
    // who and how only: every archive question names the archive
    const named: Entities = { contactKinds: [], ...(entities.subject ? { subject: entities.subject } : {}), ...(entities.channel ? { channel: entities.channel } : {}), ...(entities.absent ? { absent: true } : {}) };
    let best: { fact: Fact; score: number } | undefined;
    for (const id of topic.related) {
      const hits = this.knowledge.factsOf(id).filter((f) => whenMatches(f, named));
      if (hits.length === 0) continue;
      // several rules apply ("abroad": who may submit, who may collect): the one the words ask
      const lexical = new Map(this.matcher.match(text, lang, id).map((m) => [m.id, m.score]));
      for (const fact of hits) {
        const score = lexical.get(fact.id) ?? 0;
        if (!best || score > best.score) best = { fact, score };
      }
    }
    return best ? [best.fact] : [];
  }

  /** The fact asked first (a yes/no question gets "Jā, …"), the rest of the topic one choice away. */
  private answerFromTopic(topic: Topic, lang: Lang, entities: Entities, asked: Asked): Answer {
    // the model's topic, unless a fact of another topic fits the message far better (a near miss)
    // (a follow-up that goes on with the topic stays with it when one of its facts fits: "un uz vietas?" after feedback)
    // (its words, not only an entity: "and for a company?" still goes to the company's certificate)
    const kept = asked.context !== undefined && (this.matcher.match(asked.text, lang, topic.id)[0]?.score ?? 0) >= SINGLE_FACT_FIT;
    // the person named decides a topic about who may act ("I'm 16, can my mum request it?" is the rule for minors)
    const forWhom = entities.subject !== undefined && this.knowledge.factsOf(topic.id).some((f) => f.when?.subject?.includes(entities.subject!));
    const elsewhere = topic.whole || kept || forWhom ? undefined : this.betterTopic(topic, lang, entities, asked.text, (asked.score ?? 1) < DOUBTFUL_TOPIC ? NEAR_MISS_MARGIN / 2 : NEAR_MISS_MARGIN);
    if (elsewhere) topic = elsewhere;
    // a follow-up's own words first ("and what does accessibility mean?"), then with the question it follows
    // ("vai rīt varu saņemt izziņu?" on processing times asks when: a yes about who may collect it is no answer)
    const asksWhen = entities.weekday !== undefined || entities.date !== undefined || entities.time !== undefined || (entities.relativeDay !== undefined && entities.relativeDay !== 'now');
    let chosen = topic.whole ? (asksWhen ? [] : this.yesNoFact(topic, lang, asked.text)) : this.selectFacts(topic, lang, entities, asked.text, !asked.context);
    const unknown = this.foreign(asked.unknown, lang);
    const pointed = this.knowledge.factsOf(topic.id).some((f) => whenMatches(f, entities));
    // "I work in Norway and will not be in Latvia": the country is unknown, but who may act for the person is known
    if (unknown.length >= 1 && !topic.whole && !pointed && !entities.absent && !this.factFits(topic, lang, entities, asked.text) && !this.storyAround(topic.id as Intent, lang, entities, asked.text, unknown)) return this.silent(lang, topic.id as Intent);
    if (chosen.length === 0 && asked.context) chosen = this.selectFacts(topic, lang, entities, asked.context);
    // "can I pay by card on the spot?" asks the fees, not where the counter is
    // a topic that covers the case itself ("can my friend hand it in while I am abroad?" on representation) answers it whole
    // "I sent it by post, how do I check it arrived?": a channel the topic's own words already answer is only the story
    const channelNamed = entities.channel && this.factFits(topic, lang, { contactKinds: [] }, asked.text) ? { ...entities, channel: undefined } : entities;
    if (chosen.length === 0 && !topic.whole && !pointed) chosen = this.relatedByEntities(topic, channelNamed, lang, asked.text);
    if (chosen.length === 0) return this.topicAnswer(topic, lang, asked.slots);
    const [fact] = chosen as [Fact];
    const askedTopic = topic;
    if (fact.topic !== topic.id) topic = this.knowledge.topic(fact.topic) ?? topic;
    const t = this.messages.for(lang);
    // "un pa faksu?" after a yes/no question is yes/no too; "which section?" is not, whatever came before
    let text = this.factText(fact, lang, asked.context && !WH_WORD.test(simplify(asked.text)) ? asked.context : asked.text);
    // "I work in Norway and need the certificate": the way asked, then who may act for the person
    if (entities.absent && !whenMatches(fact, entities)) {
      const [rule] = this.relatedByEntities(topic, { contactKinds: [], absent: true }, lang, asked.text);
      if (rule) text = `${text}\n\n${this.loc(rule.text, lang)}`;
    }
    // "how do I apply from abroad?": the rule for the case, then the procedure asked in one line
    if (askedTopic !== topic && askedTopic.short && !isYesNoQuestion(asked.text, lang)) text = `${text}\n\n${this.loc(askedTopic.short, lang)}`;
    // "my late grandfather's archive certificate, what do I do?": the rule for the case, then the procedure in one line
    const lexical = this.matcher.match(asked.text, lang, topic.id).find((m) => m.id === fact.id)?.score ?? 0;
    if (topic.short && whenMatches(fact, entities) && lexical < FACT_FLOOR && !isYesNoQuestion(asked.text, lang)) text = `${text}\n\n${this.loc(topic.short, lang)}`;
    const guide = GUIDES[topic.id];
    const choices: Choice[] = [
      { title: t('more'), value: `${MORE_PREFIX}${topic.id}` },
      ...(guide ? [{ title: t('guide.offer'), value: guideValue(guide, asked.slots ?? {}) }] : []),
      ...this.related(topic.related, lang).slice(0, 2),
    ];
    return { text, choices, provenance: { topic: topic.id, facts: [fact.id], sections: [fact.source] } };
  }

  /** The first message of a guide started by a stated need: the topic in one line, and the facts that already apply. */
  guideIntro(topicId: string, lang: Lang, entities: Entities): Answer | undefined {
    const topic = this.knowledge.topic(topicId);
    if (!topic?.short) return undefined;
    const ids = new Set<string>();
    const applies: Fact[] = [];
    // for another person who cannot come: who may submit for them and who may collect, before the rest
    // (the person asking for themselves reads first that they may send it without coming)
    const forAnother = entities.absent === true && entities.subject === 'adult';
    const order = forAnother && topic.related.includes('representation') ? [topic.id, 'representation', ...topic.related.filter((r) => r !== 'representation')] : [topic.id, ...topic.related];
    for (const id of order) {
      for (const f of this.knowledge.factsOf(id)) {
        // two rules at most, and short enough that the procedure's line still shows on a phone's first screen
        // (someone who cannot come needs both halves: who may submit, and who may collect)
        const room = applies.reduce((n, a) => n + this.loc(a.text, lang).length, 0) + this.loc(f.text, lang).length <= INTRO_RULES_CHARS * (forAnother ? 2 : 1);
        if (whenMatches(f, { ...entities, place: undefined }) && !ids.has(f.id) && applies.length < 2 && (applies.length === 0 || room)) {
          ids.add(f.id);
          applies.push(f);
        }
      }
    }
    // what applies to this person first, then the whole procedure in one line
    // who may submit and who may collect for someone who cannot come, in one sentence, not two that start alike
    const both = applies.length === 2 && applies.every((f) => ABSENT_PAIR.includes(f.id));
    const lines = [...(both ? [this.messages.for(lang)('introAbsent')] : applies.map((f) => this.loc(f.text, lang))), this.loc(topic.short, lang)];
    return { text: lines.join('\n\n'), provenance: { topic: topic.id, facts: applies.map((f) => f.id), sections: [...new Set([...topic.source, ...applies.map((f) => f.source)])] } };
  }

  /**
   * A question that names no service ("kas jāņem līdzi?", "where do I send it?") is about the
   * criminal record certificate, the Centre's most requested service: answered for it, saying so,
   * with the archive certificate as the other choice. Undefined when no fact of it fits.
   */
  generic(lang: Lang, entities: Entities, text: string, unknown: string[] = []): Answer | undefined {
    const t = this.messages.for(lang);
    if (!GENERIC_WORDS.test(foldDiacritics(nfcLower(text)))) return undefined;
    // "… with an apostille?": a word the knowledge does not have is what is asked
    if (this.foreign(unknown, lang).length > 0 || this.foreignIn(text, lang).length > 0) return undefined;
    let best: { topic: Topic; fact?: Fact; score: number } | undefined;
    for (const id of ['criminal_record_request', 'criminal_record_collect', 'representation', 'criminal_record_check']) {
      const topic = this.knowledge.topic(id);
      if (!topic) continue;
      const byEntities = this.knowledge.factsOf(id).find((f) => whenMatches(f, entities));
      if (byEntities) {
        best = { topic, fact: byEntities, score: 1 };
        break;
      }
      const [top] = this.matcher.match(text, lang, id);
      if (!top || top.score <= (best?.score ?? 0)) continue;
      const fact = top.id.startsWith('topic:') ? undefined : this.knowledge.fact(top.id);
      best = fact ? { topic, fact, score: top.score } : { topic, score: top.score };
    }
    if (!best || best.score < GENERIC_FLOOR) return undefined;
    const { topic } = best;
    // "kur to var pieprasīt?" names no way of sending it: every way, not the one whose name shares a word
    const fact = best.fact?.when?.channel && !entities.channel && /\b(kur|where)\b/.test(foldDiacritics(nfcLower(text))) && topic.short ? undefined : best.fact;
    const body = fact ? this.factText(fact, lang, text) : this.loc(topic.short ?? topic.lead, lang);
    return {
      text: `${t('context.criminal')} ${body}`,
      choices: [{ title: t('more'), value: `${MORE_PREFIX}${topic.id}` }, this.choice('archive_request', lang), ...(GUIDES[topic.id] ? [{ title: t('guide.offer'), value: GUIDES[topic.id]! }] : [])],
      provenance: { topic: topic.id, facts: fact ? [fact.id] : [], sections: fact ? [fact.source] : [...topic.source] },
    };
  }

  /** Another topic whose facts fit the message much better than the recognized topic's do. */
  private betterTopic(topic: Topic, lang: Lang, entities: Entities, text: string, margin = NEAR_MISS_MARGIN): Topic | undefined {
    // words only: "the archive" names the Archive department's contacts too, so entities do not move a topic
    const fit = (t: Topic) => {
      const { whole, ranked } = this.factScores(t, lang, entities, text, 0);
      return Math.max(whole, ranked[0]?.score ?? 0);
    };
    const here = fit(topic);
    let best: { topic: Topic; score: number } | undefined;
    for (const other of this.knowledge.topics) {
      if (other.id === topic.id || other.whole) continue;
      const score = fit(other);
      if (score > (best?.score ?? 0)) best = { topic: other, score };
    }
    return best && best.score >= NEAR_MISS_FIT && best.score > here + margin ? best.topic : undefined;
  }

  /**
   * The unknown words are a story around a question a fact answers: few of a long message's words
   * (one in six at most), and a fact fits it well ("… neko nepaskaidroja, biju diezgan nikns. Kas
   * darbiniekam ir jādara, ja viņš atsaka sniegt pakalpojumu?").
   */
  private storyAround(intent: Intent, lang: Lang, entities: Entities, text: string, unknown: string[]): boolean {
    // (not on a service: "… can the certificate be apostilled?" asks what the service's facts do not say)
    if (!CENTRE_OWN_TOPICS.includes(intent)) return false;
    const words = text.split(/\s+/).length;
    return words >= STORY_WORDS && unknown.length * 6 <= words && this.fitOf(intent, lang, entities, text) >= SINGLE_FACT_FIT;
  }

  /** A fact of the topic answers the message clearly (not just shares a word with it). */
  private factFits(topic: Topic, lang: Lang, entities: Entities, text: string): boolean {
    const { whole, ranked } = this.factScores(topic, lang, entities, text);
    return Math.max(whole, ranked[0]?.score ?? 0) >= SILENT_FIT;
  }

  /** An apostille or a legalisation: the standard never covers them, whatever else the message names. */
  asksWhatIsNeverSaid(text: string): boolean {
    return LEGALISATION.test(foldDiacritics(nfcLower(text)));
  }

  /** Where the standard is silent: it says so first, then where to ask, with the nearest topic one choice away. */
  silent(lang: Lang, near?: Intent): Answer {
    const t = this.messages.for(lang);
    const choices = near && this.messages.has(lang, `menu.${near}`) ? [this.choice(near, lang)] : [];
    return { text: t('silent', this.centreContact()), choices: [...choices, ...this.choices(FALLBACK_TOPICS.filter((i) => i !== near), lang)], provenance: { topic: 'silent', facts: [], sections: [] } };
  }

  /**
   * An out-of-scope message that plainly asks one fact of the knowledge all the same (a wording the
   * model has not seen): the best fact of any topic, when it fits well and no word is unknown.
   */
  anywhere(lang: Lang, entities: Entities, text: string, unknown: string[]): Answer | undefined {
    // a long message may carry a word or two of its own story ("care home"), a short one may not
    const words = text.split(/\s+/).length;
    // words no fact has, whether or not the model has seen them ("convictions from other countries")
    const foreign = new Set([...this.foreign(unknown, lang), ...this.foreignIn(text, lang)]);
    if (foreign.size > Math.floor(words / 8)) return undefined;
    let best: { topic: Topic; fact: Fact; score: number } | undefined;
    for (const topic of this.knowledge.topics) {
      if (topic.whole) continue;
      // two words of the message at least: "mans personas kods ir …" shares only "persona" with a fact
      const top = this.matcher.match(text, lang, topic.id).find((m) => !m.id.startsWith('topic:') && m.matched >= 2);
      const fact = top && this.knowledge.fact(top.id);
      if (fact && top.score > (best?.score ?? 0)) best = { topic, fact, score: top.score };
    }
    // "which e-service shows offences geographically?": one of the Centre's services, by what it does
    const [service, runnerUp] = this.matcher.match(text, lang, SERVICES_GROUP);
    if (service && service.score >= ANYWHERE_FIT && service.score > (best?.score ?? 0) && service.score - (runnerUp?.score ?? 0) >= CLEAR_SERVICE_LEAD) {
      return this.oneService(lang, this.messages.for(lang), { text }, service.score);
    }
    if (!best || best.score < ANYWHERE_FIT) return undefined;
    return this.answerFromTopic(best.topic, lang, entities, { text });
  }

  /** "More on this" after a fact: the whole topic. */
  more(topicId: string, lang: Lang): Answer | undefined {
    const topic = this.knowledge.topic(topicId);
    return topic ? this.topicAnswer(topic, lang) : undefined;
  }

  private serviceAnswer(ids: string[], lang: Lang, t: Translate): Answer {
    const services = ids.map((id) => this.knowledge.service(id)).filter((s): s is Service => s !== undefined);
    const [first] = services;
    if (!first) return this.fallback(lang);
    const howTo = [...new Set(services.map((s) => this.loc(s.howTo, lang)))];
    const links = new Map<string, string>();
    for (const s of services) for (const l of s.links) links.set(l.url, this.loc(l.title, lang));
    return {
      text: services.map((s) => this.loc(s.description, lang)).join(' '),
      provenance: { topic: first.id, facts: services.map((s) => `service.${s.id}`), sections: [first.source] },
      facts: howTo.map((h) => ({ title: t('howTo'), value: h })),
      links: [...links].map(([url, title]) => ({ title, url })),
      choices: this.choices(['services_list', 'contacts'], lang),
    };
  }

  /** "Whom do you provide services to?" shares every word with the services list, but one fact answers it outright. */
  private listNearMiss(lang: Lang, entities: Entities, asked: Asked | undefined): Answer | undefined {
    // "kādus pakalpojumus sniedzat privātpersonām?" asks which: the list
    if (!asked || WHICH_WORDS.test(foldDiacritics(nfcLower(asked.text)))) return undefined;
    const best = this.bestTopic(lang, entities, asked.text);
    const topic = best && best.score >= LIST_NEAR_MISS_FIT ? this.knowledge.topic(best.intent) : undefined;
    return topic && !topic.whole ? this.answerFromTopic(topic, lang, entities, asked) : undefined;
  }

  /** "Is there an e-service for companies?": the one service the message names, rather than the list. */
  private oneService(lang: Lang, t: Translate, asked: Asked | undefined, floor = 0.5): Answer | undefined {
    if (!asked) return undefined;
    const [best, second] = this.matcher.match(asked.text, lang, SERVICES_GROUP);
    if (!best || best.score < floor || (second && best.score - second.score < CLEAR_SERVICE_LEAD)) return undefined;
    // "what online services do you provide?" asks for a list, though one service's name says "online"
    if (best.score < ONE_SERVICE_OVER_LIST && LIST_ASKED.test(simplify(asked.text))) return undefined;
    const id = best.id.slice('service:'.length);
    const answer = this.serviceAnswer([id], lang, t);
    if (isYesNoQuestion(asked.text, lang)) answer.text = `${t('yes')}. ${answer.text}`;
    return answer;
  }

  private serviceList(lang: Lang, t: Translate, list: 'service' | 'eservice'): Answer {
    const names = this.knowledge.services.filter((s) => s.lists.includes(list)).map((s) => this.loc(s.short, lang));
    return {
      text: t(list === 'service' ? 'services.lead' : 'services.eLead'),
      items: names,
      note: t('services.ask'),
      choices: this.choices(NEXT[list === 'service' ? 'services_list' : 'eservices_list'] ?? [], lang),
    };
  }

  private address(lang: Lang, t: Translate, entities: Entities): Answer {
    const centre = this.knowledge.place('centre');
    const archive = this.knowledge.place('archive');
    // "un arhīva nodaļa?": the Archive department's address first
    if (entities.place === 'archive') {
      return { text: t('address.archive', { address: archive.address }), items: [t('address.lead', { address: centre.address })], choices: this.choices(NEXT.address ?? [], lang) };
    }
    return {
      text: t('address.lead', { address: centre.address }),
      items: [t('address.archive', { address: archive.address })],
      choices: this.choices(NEXT.address ?? [], lang),
    };
  }

  private contacts(lang: Lang, t: Translate, entities: Entities, asked?: Asked): Answer {
    const wanted = entities.contactKinds;
    const centre = this.knowledge.place('centre');
    const archive = this.knowledge.place('archive');
    const display = (c: Contact) => (c.kind === 'website' ? c.value.replace(/^https?:\/\//, '') : c.value);
    // asked for one kind ("fax?"): each number with what it is for; asked for all: one line per kind
    const detailed = (contacts: Contact[]) => {
      const groups = new Map<string, { title: string; values: string[]; label: string }>();
      for (const c of contacts.filter((x) => wanted.includes(x.kind))) {
        const label = this.loc(c.label, lang);
        const key = `${c.kind}|${label}`;
        const group = groups.get(key) ?? { title: t(`contacts.${c.kind}`), values: [], label };
        group.values.push(display(c));
        groups.set(key, group);
      }
      return [...groups.values()].map((g) => ({ title: g.title, value: `${g.values.join(', ')} (${g.label})` }));
    };
    const byKind = (contacts: Contact[]) => (['phone', 'fax', 'email', 'website'] as const)
      .map((kind) => ({ kind, values: contacts.filter((c) => c.kind === kind).map(display) }))
      .filter((g) => g.values.length > 0);
    const archiveLine = byKind(archive.contacts).map((g) => `${t(`contacts.${g.kind}`).toLowerCase()} ${g.values.join(', ')}`).join('; ');
    let facts: Array<{ title: string; value: string }>;
    if (entities.place === 'archive') {
      facts = wanted.length ? detailed(archive.contacts) : [{ title: t('contacts.archive'), value: archiveLine }];
    } else if (wanted.length) {
      facts = detailed(centre.contacts);
    } else {
      facts = [
        ...byKind(centre.contacts).map((g) => ({ title: t(`contacts.${g.kind}`), value: g.values.join(', ') })),
        { title: t('contacts.archive'), value: archiveLine },
      ];
    }
    if (facts.length === 0) facts = byKind(centre.contacts).map((g) => ({ title: t(`contacts.${g.kind}`), value: g.values.join(', ') }));
    let lead = entities.place === 'archive' ? t('contacts.archiveLead') : t('contacts.lead');
    // "Can I e-mail the Archive Department?": yes when there is such a contact (every kind asked is listed)
    const all = entities.place === 'archive' ? archive.contacts : centre.contacts;
    if (asked && wanted.length && isYesNoQuestion(asked.text, lang) && wanted.every((k) => all.some((c) => c.kind === k))) lead = `${t('yes')}. ${lead}`;
    return { text: lead, facts, choices: this.choices(NEXT.contacts ?? [], lang) };
  }

  private hours(lang: Lang, t: Translate, entities: Entities, asked?: Asked): Answer {
    const answer = this.hoursAnswers.answer(entities, lang, t, asked ? isYesNoQuestion(asked.context ?? asked.text, lang) : false);
    return { ...answer, choices: this.choices(entities.place === 'archive' ? ['archive_request', 'address'] : NEXT.reception_hours ?? [], lang) };
  }

}

/** Words without which an address, contacts or hours answer does not answer the message. */
const COMPUTED_CUES: Partial<Record<Intent, RegExp>> = {
  address: /\b(street|bruni\w*|ciekurkaln\w*|72b|kur|adres\w*|atrod\w*|atrasan\w*|noklut\w*|atrast|iela|ielu|where|wheres|address\w*|located|location|find|get to|how to get|directions|map)\b/,
  contacts: /\b(kontakt\w*|talrun\w*|telefon\w*|tel|numur\w*|zvanit|zvanu|piezvan\w*|e-?past\w*|epast\w*|faks\w*|fax|rakstit|sazinat\w*|sazin\w*|majaslap\w*|vietne|contact\w*|phone\w*|number|call|e-?mail\w*|mail|write|reach|website|web|site|www)\b/,
  reception_hours: /\b(partraukum\w*|pusdien\w*|break\w*|lunch\w*|kad|laik\w*|stund\w*|strada\w*|atver\w*|atvert\w*|slegt\w*|pienem\w*|cikos|cik\w*|darba|when|hours?|open\w*|close\w*|time|times|work\w*|schedule|till|until|come|visit|today|tomorrow)\b/,
};

/** The message names a day, a date, a time or "now". */
function hasWhen(entities: Entities): boolean {
  return entities.weekday !== undefined || entities.relativeDay !== undefined || entities.date !== undefined || entities.time !== undefined || entities.asksNext === true;
}

/** A fact's entity conditions all hold for the message (and it has at least one). */
function whenMatches(fact: Fact, entities: Entities): boolean {
  const when = fact.when;
  if (!when) return false;
  // "my brother is under guardianship, who may act in his place?": the person named decides, not their absence
  if (when.absent && entities.absent && !['minor', 'ward', 'deceased', 'company'].includes(entities.subject ?? '')) return true;
  const checks: boolean[] = [];
  if (when.subject) checks.push(entities.subject !== undefined && when.subject.includes(entities.subject));
  if (when.channel) checks.push(entities.channel !== undefined && when.channel.includes(entities.channel));
  if (when.place) checks.push(entities.place !== undefined && when.place.includes(entities.place));
  return checks.length > 0 && checks.every(Boolean);
}
