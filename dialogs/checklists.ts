import type { Answer } from '../bot/answer';
import type { ArchiveChannel, ArchiveSubject, CertificateSubject, SubmitChannel } from '../knowledge/guidesSchema';
import type { Knowledge } from '../knowledge/loader';
import type { Localized } from '../knowledge/schema';
import type { Messages } from '../locales/i18n';
import type { Lang } from '../nlu/languagePack';
import type { HoursAnswers } from './hoursAnswer';

/**
 * The personal checklist at the end of a guide: what to do, what to bring, where, when and the
 * rules for this case, built from knowledge/guides.json and the places and schedules it names.
 * Nothing that does not apply to the case is listed.
 */
export class Checklists {
  private readonly values: Record<string, string>;

  constructor(private readonly knowledge: Knowledge, private readonly messages: Messages, private readonly hours: HoursAnswers) {
    const centre = knowledge.place('centre');
    const archive = knowledge.place('archive');
    const first = (kind: string, place = centre) => place.contacts.find((c) => c.kind === kind)?.value ?? '';
    this.values = {
      'centre.address': centre.address,
      'centre.postal': centre.postalAddress ?? centre.address,
      'centre.phone': first('phone'),
      'centre.fax': first('fax'),
      'centre.email': first('email'),
      'archive.address': archive.address,
      'archive.phones': archive.contacts.filter((c) => c.kind === 'phone').map((c) => c.value).join(', '),
      'archive.email': first('email', archive),
    };
  }

  /** What people ask after a checklist. */
  private next(lang: Lang): Answer['choices'] {
    const t = this.messages.for(lang);
    return (['reception_hours', 'address', 'help'] as const).map((intent) => ({ title: t(`menu.${intent}`), value: intent }));
  }

  /** Fills {{centre.address}}-style references to facts kept in places.json. */
  fill(text: Localized, lang: Lang): string {
    return text[lang].replace(/\{\{([a-z.]+)\}\}/g, (whole, key: string) => this.values[key] ?? whole);
  }

  private weekText(scheduleId: string, lang: Lang): string {
    const t = this.messages.for(lang);
    return this.hours.weekFacts(this.knowledge.schedule(scheduleId), lang, t).map((f) => `${f.title} ${f.value}`).join('; ');
  }

  criminalRecord(subject: Exclude<CertificateSubject, 'company'>, channel: SubmitChannel, lang: Lang): Answer {
    const t = this.messages.for(lang);
    const guide = this.knowledge.guides.criminalRecord;
    const phone = this.values['centre.phone']!;
    const address = this.values['centre.address']!;
    const schedule = this.knowledge.schedule('certificate_reception');
    const steps = guide.channels[channel].steps.map((s) => this.fill(s, lang));
    if (guide.channels[channel].checkArrival) steps.push(t('guide.checkArrival', { phone }));
    steps.push(channel === 'eservice' ? this.fill(guide.collectNote, lang).replace(/:$/, '.') : t('guide.collect', { address }));
    const bring = guide.collectDocuments.map((d) => this.fill(d, lang));
    if (subject === 'adult') bring.push(t('guide.proxyBring'));
    const rules = guide.subjects[subject].rules.map((r) => this.fill(r, lang));
    return {
      card: true,
      title: t('guide.criminal.title'),
      text: t('guide.you', { subject: guide.subjects[subject].label[lang], channel: guide.channels[channel].label[lang] }),
      stepsTitle: t('guide.steps'),
      steps,
      sections: [
        { title: t('guide.bring'), items: bring },
        ...(rules.length ? [{ title: t('guide.rules'), items: rules }] : []),
      ],
      facts: [
        { title: t('guide.where'), value: address },
        { title: t('guide.when'), value: this.weekText(schedule.id, lang) },
        { title: t('guide.next'), value: this.hours.nextText(schedule, lang, t, true) },
        { title: t('guide.phone'), value: phone },
      ],
      note: t('guide.done', { phone }),
      choices: this.next(lang),
    };
  }

  company(lang: Lang): Answer {
    const t = this.messages.for(lang);
    const service = this.knowledge.service('legal_person_certificate');
    return {
      card: true,
      title: t('guide.criminal.companyTitle'),
      text: this.fill(this.knowledge.guides.criminalRecord.company.text, lang),
      links: (service?.links ?? []).map((l) => ({ title: l.title[lang], url: l.url })),
      note: t('guide.done', { phone: this.values['centre.phone']! }),
      choices: this.next(lang),
    };
  }

  archive(subject: ArchiveSubject, channel: ArchiveChannel, lang: Lang): Answer {
    const t = this.messages.for(lang);
    const guide = this.knowledge.guides.archive;
    const via = guide.channels[channel];
    const collect = this.knowledge.schedule(guide.collect.scheduleId);
    const facts: Array<{ title: string; value: string }> = [];
    if (via.scheduleId) {
      const submitSchedule = this.knowledge.schedule(via.scheduleId);
      facts.push({ title: t('guide.submitHours'), value: this.weekText(submitSchedule.id, lang) });
      facts.push({ title: t('guide.next'), value: this.hours.nextText(submitSchedule, lang, t, true) });
    }
    facts.push({ title: t('guide.collectHours'), value: this.weekText(collect.id, lang) });
    return {
      card: true,
      title: t('guide.archive.title'),
      text: t('guide.you', { subject: guide.subjects[subject].label[lang], channel: via.label[lang] }),
      sections: [{ title: t('guide.enclose'), items: guide.subjects[subject].enclose.map((e) => this.fill(e, lang)) }],
      stepsTitle: t('guide.steps'),
      steps: [...via.steps.map((s) => this.fill(s, lang)), this.fill(guide.collect.text, lang)],
      facts,
      note: t('guide.done', { phone: this.values['centre.phone']! }),
      choices: this.next(lang),
    };
  }
}
