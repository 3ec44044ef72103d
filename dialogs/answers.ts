import type { Answer, Choice } from '../bot/answer';
import { HoursAnswers, type Clock } from './hoursAnswer';
import type { Knowledge } from '../knowledge/loader';
import type { Contact, Localized, Service, Topic } from '../knowledge/schema';
import type { Messages, Translate } from '../locales/i18n';
import type { Entities } from '../nlu/entities';
import type { Intent } from '../nlu/intents';
import type { Lang } from '../nlu/languagePack';

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
export const GUIDES: Record<string, GuideAction> = { criminal_record_request: 'guide:criminal_record', archive_request: 'guide:archive' };
export type GuideAction = 'guide:criminal_record' | 'guide:archive';

export const MAIN_TOPICS: Intent[] = ['criminal_record_request', 'reception_hours', 'address', 'contacts', 'services_list', 'archive_request'];
export const FALLBACK_TOPICS: Intent[] = ['criminal_record_request', 'reception_hours', 'contacts'];

/** Builds every answer from knowledge/ and locales/; no user-facing text lives here. */
export class AnswerBook {
  readonly hoursAnswers: HoursAnswers;

  constructor(private readonly knowledge: Knowledge, private readonly messages: Messages, clock: Clock = () => new Date()) {
    this.hoursAnswers = new HoursAnswers(knowledge, clock);
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
    return { text: t('fallback.text'), note: t('fallback.contact', this.centreContact()), choices: this.choices(FALLBACK_TOPICS, lang) };
  }

  clarify(lang: Lang, options: Intent[]): Answer {
    const t = this.messages.for(lang);
    return { text: t('clarify'), choices: this.choices(options, lang) };
  }

  simple(lang: Lang, key: string, vars: Record<string, string | number> = {}): Answer {
    return { text: this.messages.for(lang)(key, { ...this.centreContact(), ...vars }) };
  }

  forIntent(intent: Intent, lang: Lang, entities: Entities): Answer {
    const t = this.messages.for(lang);
    switch (intent) {
      case 'greeting': return { text: t('greeting'), choices: this.choices(NEXT.greeting ?? [], lang) };
      case 'help': return this.help(lang);
      case 'thanks': return this.simple(lang, 'thanks');
      case 'goodbye': return this.simple(lang, 'goodbye');
      case 'bot_identity': return { ...this.simple(lang, 'identity'), choices: this.choices(MAIN_TOPICS.slice(0, 3), lang) };
      case 'address': return this.address(lang, t);
      case 'contacts': return this.contacts(lang, t, entities);
      // "arhīva telefons": the Archive department's numbers, not the whole archive procedure
      case 'archive_request': if (entities.contactKinds.length) return this.contacts(lang, t, { ...entities, place: 'archive' }); break;
      case 'reception_hours': return this.hours(lang, t, entities);
      case 'services_list': return this.serviceList(lang, t, 'service');
      case 'eservices_list': return this.serviceList(lang, t, 'eservice');
      default: break;
    }
    if (TOPIC_INTENTS.includes(intent)) {
      const topic = this.knowledge.topic(intent);
      if (topic) return this.topicAnswer(topic, lang);
    }
    const serviceIds = SERVICE_INTENTS[intent];
    if (serviceIds) return this.serviceAnswer(serviceIds, lang, t);
    return this.fallback(lang);
  }

  private related(ids: string[], lang: Lang): Choice[] {
    const intents = ids.map((id) => ID_TO_INTENT[id] ?? (id as Intent)).filter((i) => this.messages.has(lang, `menu.${i}`));
    return this.choices(intents, lang);
  }

  topicAnswer(topic: Topic, lang: Lang): Answer {
    const answer: Answer = { title: this.loc(topic.title, lang), text: this.loc(topic.lead, lang), items: topic.items.map((i) => this.loc(i, lang)) };
    if (topic.note) answer.note = this.loc(topic.note, lang);
    if (topic.links.length) answer.links = topic.links.map((l) => ({ title: this.loc(l.title, lang), url: l.url }));
    const guide = GUIDES[topic.id];
    const choices = [...(guide ? [{ title: this.messages.for(lang)('guide.offer'), value: guide }] : []), ...this.related(topic.related, lang)];
    if (choices.length) answer.choices = choices;
    return answer;
  }

  private serviceAnswer(ids: string[], lang: Lang, t: Translate): Answer {
    const services = ids.map((id) => this.knowledge.service(id)).filter((s): s is Service => s !== undefined);
    const [first] = services;
    if (!first) return this.fallback(lang);
    const howTo = [...new Set(services.map((s) => this.loc(s.howTo, lang)))];
    const links = new Map<string, string>();
    for (const s of services) for (const l of s.links) links.set(l.url, this.loc(l.title, lang));
    return {
      title: this.loc(first.name, lang),
      text: services.map((s) => this.loc(s.description, lang)).join(' '),
      facts: howTo.map((h) => ({ title: t('howTo'), value: h })),
      links: [...links].map(([url, title]) => ({ title, url })),
      choices: this.choices(['services_list', 'contacts'], lang),
    };
  }

  private serviceList(lang: Lang, t: Translate, list: 'service' | 'eservice'): Answer {
    const names = this.knowledge.services.filter((s) => s.lists.includes(list)).map((s) => this.loc(s.name, lang));
    return {
      text: t(list === 'service' ? 'services.lead' : 'services.eLead'),
      items: names,
      note: t('services.ask'),
      choices: this.choices(NEXT[list === 'service' ? 'services_list' : 'eservices_list'] ?? [], lang),
    };
  }

  private address(lang: Lang, t: Translate): Answer {
    const centre = this.knowledge.place('centre');
    const archive = this.knowledge.place('archive');
    return {
      text: t('address.lead', { address: centre.address }),
      items: [t('address.archive', { address: archive.address })],
      choices: this.choices(NEXT.address ?? [], lang),
    };
  }

  private contacts(lang: Lang, t: Translate, entities: Entities): Answer {
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
    const lead = entities.place === 'archive' ? t('contacts.archiveLead') : t('contacts.lead');
    return { text: lead, facts, choices: this.choices(NEXT.contacts ?? [], lang) };
  }

  private hours(lang: Lang, t: Translate, entities: Entities): Answer {
    const answer = this.hoursAnswers.answer(entities, lang, t);
    return { ...answer, choices: this.choices(entities.place === 'archive' ? ['archive_request', 'address'] : NEXT.reception_hours ?? [], lang) };
  }

}
