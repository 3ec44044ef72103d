import type express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { answerText } from '../bot/render/render';
import { toIsoDate } from '../knowledge/calendarRules';
import type { Notice } from '../knowledge/noticesSchema';
import { localNow } from '../knowledge/opening';
import type { Fact, Localized } from '../knowledge/schema';
import { redact } from '../privacy/redact';
import { hasRole, type Account, type Role } from '../staff/accounts';
import type { AuditAction } from '../staff/audit';
import { FACT_FIELDS, fieldsOf, MIN_REASON, readFactInput, wordsOf, type FactField, type FactInput, type FactOverride, type FactRecord } from '../staff/factEdits';
import type { PreviewAnswer, StaffKnowledge } from '../staff/liveKnowledge';
import { inputOf, noticeFromInput, type NoticeInput, type NoticeProblem, type StoredNotice } from '../staff/notices';
import { html, rigaTime, type Lang, type SafeHtml, type T } from './staffHtml';

/** What the console lends these pages: its context, page frame, error handling and CSRF field. */
export interface ConsoleKit {
  ctx(res: Response): { lang: Lang; t: T; ip: string; account?: Account };
  send(res: Response, title: string, body: SafeHtml, status?: number): void;
  handle(fn: (req: Request, res: Response, next?: NextFunction) => Promise<void>): express.RequestHandler;
  /** Throws the console's 403 when the account's role is below `role`. */
  need(res: Response, role: Role): void;
  csrf(res: Response): SafeHtml;
  field(req: Request, name: string): string;
  badRequest(message: string): Error;
  audit(entry: { actor: string; action: AuditAction; target?: string; ip: string; detail?: string }): Promise<void>;
}

const LANGS = ['lv', 'en'] as const;

/**
 * Notices and facts in the staff console (/staff/notices, /staff/facts): viewers read them,
 * reviewers and admins change them; every change is audited and live on every instance.
 */
export function registerKnowledgeRoutes(r: express.Router, knowledge: StaffKnowledge, kit: ConsoleKit): void {
  const schedules = () => knowledge.base.schedules;
  const scheduleIds = () => schedules().map((s) => s.id);
  const canEdit = (res: Response) => hasRole(kit.ctx(res).account!.role, 'reviewer');
  const many = (req: Request, name: string): string[] => {
    const v = (req.body as Record<string, unknown> | undefined)?.[name];
    return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string' && x.length <= 100);
  };
  const noticeInput = (req: Request): NoticeInput => ({
    textLv: kit.field(req, 'textLv').slice(0, 2000), textEn: kit.field(req, 'textEn').slice(0, 2000),
    from: kit.field(req, 'from'), to: kit.field(req, 'to'), scope: many(req, 'scope'), schedules: many(req, 'schedules'),
    change: kit.field(req, 'change'), date: kit.field(req, 'date'), hours: kit.field(req, 'hours'),
  });

  // ---- notices ----
  r.get('/notices', kit.handle(async (req, res) => {
    const { t } = kit.ctx(res);
    const list = await knowledge.notices.list();
    const done = typeof req.query.done === 'string' ? req.query.done : '';
    kit.send(res, t('notices.heading'), html`<h1>${t('notices.heading')}</h1>
      <p>${t('notices.explain')}</p>
      ${['created', 'saved', 'ended', 'reverted'].includes(done) ? html`<p class="notice" role="status" id="done">${t(`notices.done.${done}`)}</p>` : ''}
      ${canEdit(res) ? html`<p><a class="button" id="new-notice" href="/staff/notices/new">${t('notices.new')}</a></p>` : ''}
      ${noticeTable(res, list)}
      <h2>${t('notices.fileHeading')}</h2><p>${t('notices.fileExplain')}</p>
      ${knowledge.base.notices.length ? html`<ul>${knowledge.base.notices.map((n) => html`<li>${n.from}–${n.to}: ${n.text[kit.ctx(res).lang]}</li>`)}</ul>` : html`<p>${t('notices.none')}</p>`}`);
  }));

  r.get('/notices/new', kit.handle(async (_req, res) => {
    kit.need(res, 'reviewer');
    const today = toIsoDate(localNow(new Date()).date);
    noticeForm(res, undefined, { textLv: '', textEn: '', from: today, to: today, scope: ['hours', 'start'], schedules: [], change: 'none', date: '', hours: '' });
  }));

  r.get('/notices/:id', kit.handle(async (req, res) => {
    const stored = await knowledge.notices.get(String(req.params.id));
    if (!stored) throw kit.badRequest('notice');
    noticeForm(res, stored, inputOf(stored.state));
  }));

  const saveNotice = async (req: Request, res: Response, stored: StoredNotice | undefined) => {
    kit.need(res, 'reviewer');
    const c = kit.ctx(res);
    const input = noticeInput(req);
    // a new notice keeps the id its preview had, unless that id is taken (a form cannot overwrite another notice)
    const draftId = kit.field(req, 'draftId');
    const id = stored?.id ?? (/^n-\d{8}-[0-9a-f]{8}$/.test(draftId) && !(await knowledge.notices.get(draftId)) ? draftId : knowledge.notices.newId());
    const read = noticeFromInput(id, input, scheduleIds());
    if ('problems' in read) return noticeForm(res, stored, input, { problems: read.problems, draftId: id }, 400);
    if (kit.field(req, 'op') === 'preview') {
      return noticeForm(res, stored, input, { preview: await knowledge.previewNotice(read.state.notice), draftId: id });
    }
    const name = c.account!.name;
    if (stored) await knowledge.notices.update(stored.id, read.state, name);
    else await knowledge.notices.create(read.state, name);
    await knowledge.changed();
    await kit.audit({ actor: name, action: stored ? 'notice_edited' : 'notice_created', target: id, ip: c.ip, detail: noticeDetail(read.state.notice) });
    res.redirect(303, `/staff/notices?done=${stored ? 'saved' : 'created'}`);
  };
  r.post('/notices', kit.handle(async (req, res) => saveNotice(req, res, undefined)));
  r.post('/notices/:id', kit.handle(async (req, res) => {
    const stored = await knowledge.notices.get(String(req.params.id));
    if (!stored) throw kit.badRequest('notice');
    await saveNotice(req, res, stored);
  }));
  for (const [op, action] of [['end', 'notice_ended'], ['revert', 'notice_reverted']] as const) {
    r.post(`/notices/:id/${op}`, kit.handle(async (req, res) => {
      kit.need(res, 'reviewer');
      const c = kit.ctx(res);
      const stored = await knowledge.notices.get(String(req.params.id));
      if (!stored) throw kit.badRequest('notice');
      const after = op === 'end' ? await knowledge.notices.end(stored.id, c.account!.name) : await knowledge.notices.revert(stored.id, c.account!.name);
      await knowledge.changed();
      await kit.audit({ actor: c.account!.name, action, target: stored.id, ip: c.ip, detail: `${after.state.active ? 'active' : 'ended'} ${noticeDetail(after.state.notice)}` });
      res.redirect(303, `/staff/notices?done=${op === 'end' ? 'ended' : 'reverted'}`);
    }));
  }

  function noticeTable(res: Response, list: StoredNotice[]): SafeHtml {
    const { t } = kit.ctx(res);
    if (list.length === 0) return html`<p>${t('notices.none')}</p>`;
    const today = toIsoDate(localNow(new Date()).date);
    return html`<table class="list" id="notices"><caption>${t('notices.listCaption')}</caption><thead><tr>
      <th scope="col">${t('notices.dates')}</th><th scope="col">${t('notices.textLv')}</th><th scope="col">${t('notices.textEn')}</th>
      <th scope="col">${t('notices.change')}</th><th scope="col">${t('notices.state')}</th><th scope="col">${t('notices.actions')}</th></tr></thead><tbody>
      ${list.map((s) => html`<tr data-id="${s.id}"><td><a href="/staff/notices/${s.id}">${s.state.notice.from}–${s.state.notice.to}</a></td>
        <td lang="lv">${s.state.notice.text.lv}</td><td lang="en">${s.state.notice.text.en}</td><td>${changeText(res, s.state.notice, s.state.schedules)}</td>
        <td>${t(!s.state.active ? 'notices.ended' : s.state.notice.to < today ? 'notices.expired' : 'notices.active')}</td>
        <td>${canEdit(res) ? html`${s.state.active ? html`<form method="post" action="/staff/notices/${s.id}/end" class="inline">${kit.csrf(res)}<button type="submit" class="danger" aria-label="${t('notices.end')}: ${s.state.notice.from}">${t('notices.end')}</button></form>` : ''}
          <form method="post" action="/staff/notices/${s.id}/revert" class="inline">${kit.csrf(res)}<button type="submit" aria-label="${t('notices.revert')}: ${s.state.notice.from}">${t('notices.revert')}</button></form>` : ''}</td></tr>`)}
      </tbody></table>`;
  }

  function changeText(res: Response, n: Notice, scheduleList: string[]): string {
    const { t, lang } = kit.ctx(res);
    const names = scheduleList.map((id) => schedules().find((s) => s.id === id)?.title[lang] ?? id).join('; ');
    const o = n.scheduleOverride;
    if (!o) return names ? `${t('notices.changeNone')} (${names})` : t('notices.changeNone');
    const what = o.intervals.length ? t('notices.changedHoursOn', { date: o.date, hours: o.intervals.map(([a, b]) => `${a}–${b}`).join(', ') }) : t('notices.closedOn', { date: o.date });
    return `${what}: ${names}`;
  }

  function noticeForm(res: Response, stored: StoredNotice | undefined, v: NoticeInput, o: { problems?: NoticeProblem[]; preview?: PreviewAnswer[]; draftId?: string } = {}, status = 200): void {
    const { t, lang } = kit.ctx(res);
    const editable = canEdit(res);
    const heading = stored ? t('notices.editHeading') : t('notices.newHeading');
    const action = stored ? `/staff/notices/${stored.id}` : '/staff/notices';
    const dis = editable ? '' : html`disabled`;
    const check = (name: string, value: string, on: boolean, label: string, id: string) =>
      html`<div class="check"><input type="checkbox" id="${id}" name="${name}" value="${value}" ${on ? html`checked` : ''} ${dis}><label for="${id}">${label}</label></div>`;
    const radio = (value: string, label: string) =>
      html`<div class="check"><input type="radio" id="nc-${value}" name="change" value="${value}" ${v.change === value ? html`checked` : ''} ${dis}><label for="nc-${value}">${label}</label></div>`;
    const body = html`<h1>${heading}</h1>
      ${o.problems?.length ? html`<div class="error" role="alert" id="notice-errors"><p>${t('notices.fix')}</p><ul>${o.problems.map((p) => html`<li>${t(`notices.errors.${p}`)}</li>`)}</ul></div>` : ''}
      ${stored ? html`<p>${t('notices.stateLine', { state: t(stored.state.active ? 'notices.active' : 'notices.ended'), by: stored.createdBy, at: rigaTime(stored.createdAt) })}</p>` : ''}
      <form method="post" action="${action}" class="stack" id="notice-form">${kit.csrf(res)}
        ${o.draftId && !stored ? html`<input type="hidden" name="draftId" value="${o.draftId}">` : ''}
        <label for="n-textLv">${t('notices.textLv')}</label><textarea id="n-textLv" name="textLv" lang="lv" rows="3" required ${dis}>${v.textLv}</textarea>
        <label for="n-textEn">${t('notices.textEn')}</label><textarea id="n-textEn" name="textEn" lang="en" rows="3" required ${dis}>${v.textEn}</textarea>
        <label for="n-from">${t('notices.from')}</label><input type="date" id="n-from" name="from" value="${v.from}" required ${dis}>
        <label for="n-to">${t('notices.to')}</label><input type="date" id="n-to" name="to" value="${v.to}" required ${dis}>
        <fieldset><legend>${t('notices.scope')}</legend>
          ${check('scope', 'hours', v.scope.includes('hours'), t('notices.scopeHours'), 'ns-hours')}
          ${check('scope', 'start', v.scope.includes('start'), t('notices.scopeStart'), 'ns-start')}</fieldset>
        <fieldset><legend>${t('notices.schedules')}</legend>
          ${schedules().map((s) => check('schedules', s.id, v.schedules.includes(s.id), `${s.title[lang]} (${knowledge.base.place(s.placeId).name[lang]})`, `nsch-${s.id}`))}</fieldset>
        <fieldset><legend>${t('notices.change')}</legend>
          ${radio('none', t('notices.changeNone'))}${radio('closed', t('notices.changeClosed'))}${radio('hours', t('notices.changeHours'))}
          <div class="fields"><label for="n-date">${t('notices.date')}</label><input type="date" id="n-date" name="date" value="${v.date}" ${dis}></div>
          <div class="fields"><label for="n-hours">${t('notices.hours')}</label><input id="n-hours" name="hours" value="${v.hours}" placeholder="09:00-12:00, 13:00-15:00" aria-describedby="n-hours-hint" ${dis}>
          <small id="n-hours-hint">${t('notices.hoursHint')}</small></div></fieldset>
        ${editable ? html`<div><button type="submit" name="op" value="preview" id="notice-preview">${t('notices.preview')}</button>
          <button type="submit" name="op" value="save" id="notice-save">${t('notices.save')}</button></div>` : ''}
      </form>
      ${o.preview ? previewSection(res, o.preview) : ''}
      ${stored ? versionsTable(res, stored.versions.map((x) => ({ ...x, before: x.before ? noticeSummary(res, x.before.notice, x.before.active) : '', after: x.after ? noticeSummary(res, x.after.notice, x.after.active) : '' }))) : ''}
      <p><a href="/staff/notices">${t('notices.back')}</a></p>`;
    kit.send(res, heading, body, status);
  }

  function noticeSummary(res: Response, n: Notice, active: boolean): string {
    const { t } = kit.ctx(res);
    const o = n.scheduleOverride;
    const change = o ? (o.intervals.length ? t('notices.changedHoursOn', { date: o.date, hours: o.intervals.map(([a, b]) => `${a}–${b}`).join(', ') }) : t('notices.closedOn', { date: o.date })) : '';
    return [`(${t(active ? 'notices.active' : 'notices.ended')}) ${n.from}–${n.to}`, `${n.text.lv} / ${n.text.en}`, change].filter(Boolean).join(' · ');
  }

  // ---- facts ----
  r.get('/facts', kit.handle(async (_req, res) => {
    const { t, lang } = kit.ctx(res);
    const records = new Map((await knowledge.facts.list()).map((rec) => [rec.factId, rec]));
    kit.send(res, t('facts.heading'), html`<h1>${t('facts.heading')}</h1><p>${t('facts.explain')}</p>
      <table class="list" id="facts"><caption>${t('facts.heading')}</caption><thead><tr><th scope="col">${t('facts.id')}</th><th scope="col">${t('facts.text')}</th><th scope="col">${t('facts.state')}</th></tr></thead><tbody>
      ${knowledge.base.facts.map((f) => {
        const rec = records.get(f.id);
        return html`<tr data-id="${f.id}"><td><a href="/staff/facts/${encodeURIComponent(f.id)}">${f.id}</a></td><td>${wordsOf(f, rec?.applied).text[lang]}</td><td>${stateText(res, rec)}</td></tr>`;
      })}</tbody></table>`);
  }));

  const factOf = (req: Request): Fact => {
    const fact = knowledge.base.fact(String(req.params.id));
    if (!fact) throw kit.badRequest('fact');
    return fact;
  };
  const factInput = (req: Request, fact: Fact): FactInput => {
    const input: FactInput = {};
    for (const f of fieldsOf(fact)) input[f] = { lv: kit.field(req, `${f}Lv`).slice(0, 2000), en: kit.field(req, `${f}En`).slice(0, 2000) };
    return input;
  };

  r.get('/facts/:id', kit.handle(async (req, res) => {
    const fact = factOf(req);
    const rec = await knowledge.facts.get(fact.id);
    factPage(res, fact, rec, { input: rec?.draft?.input ?? {}, reason: rec?.draft?.reason ?? '', outdated: false, done: typeof req.query.done === 'string' ? req.query.done : '' });
  }));

  r.post('/facts/:id', kit.handle(async (req, res) => {
    kit.need(res, 'reviewer');
    const c = kit.ctx(res);
    const fact = factOf(req);
    const rec = await knowledge.facts.get(fact.id);
    const input = factInput(req, fact);
    const outdated = kit.field(req, 'outdated') === 'on';
    const reason = kit.field(req, 'reason');
    const form = { input, reason, outdated };
    if (kit.field(req, 'op') === 'preview') {
      const read = outdated ? { override: { outdated: true } as FactOverride } : readFactInput(fact, rec?.applied ?? null, input);
      const preview = 'override' in read ? await knowledge.previewFact(fact, read.override) : undefined;
      const problem = 'missing' in read ? c.t('facts.halfFilled') : 'nothing' in read ? c.t('facts.nothing') : undefined;
      return factPage(res, fact, rec, { ...form, ...(preview ? { preview } : {}), ...(problem ? { error: problem } : {}) });
    }
    const result = await knowledge.facts.save(fact, input, outdated, reason, c.account!.name);
    if (result.outcome === 'refused') {
      return factPage(res, fact, rec, { ...form, error: c.t(result.problem === 'reason' ? 'facts.reasonMissing' : 'facts.nothing', { min: MIN_REASON }) }, 400);
    }
    const why = redact(reason.trim()).slice(0, 300);
    if (result.outcome === 'draft') {
      await kit.audit({ actor: c.account!.name, action: 'fact_draft', target: fact.id, ip: c.ip, detail: `missing=${result.missing.map((m) => `${m.field}.${m.lang}`).join(',')} reason=${why}` });
      return res.redirect(303, `/staff/facts/${encodeURIComponent(fact.id)}?done=draft`);
    }
    await knowledge.changed();
    await kit.audit({ actor: c.account!.name, action: outdated ? 'fact_outdated' : 'fact_edited', target: fact.id, ip: c.ip, detail: `reason=${why}` });
    res.redirect(303, `/staff/facts/${encodeURIComponent(fact.id)}?done=${outdated ? 'outdated' : 'applied'}`);
  }));

  r.post('/facts/:id/revert', kit.handle(async (req, res) => {
    kit.need(res, 'reviewer');
    const c = kit.ctx(res);
    const fact = factOf(req);
    const after = await knowledge.facts.revert(fact.id, c.account!.name);
    if (!after) return res.redirect(303, `/staff/facts/${encodeURIComponent(fact.id)}`);
    await knowledge.changed();
    await kit.audit({ actor: c.account!.name, action: 'fact_reverted', target: fact.id, ip: c.ip, detail: after.applied ? (after.applied.outdated ? 'now outdated' : 'now edited') : 'now the standard\'s words' });
    res.redirect(303, `/staff/facts/${encodeURIComponent(fact.id)}?done=reverted`);
  }));

  r.post('/facts/:id/discard', kit.handle(async (req, res) => {
    kit.need(res, 'reviewer');
    const fact = factOf(req);
    await knowledge.facts.discardDraft(fact.id);
    res.redirect(303, `/staff/facts/${encodeURIComponent(fact.id)}?done=discarded`);
  }));

  function stateText(res: Response, rec: FactRecord | undefined): string {
    const { t } = kit.ctx(res);
    const parts = [rec?.applied ? t(rec.applied.outdated ? 'facts.stateOutdated' : 'facts.stateEdited') : t('facts.stateOriginal')];
    if (rec?.draft) parts.push(t('facts.stateDraft'));
    return parts.join(', ');
  }

  function factPage(res: Response, fact: Fact, rec: FactRecord | undefined, o: { input: FactInput; reason: string; outdated: boolean; preview?: PreviewAnswer[]; error?: string; done?: string }, status = 200): void {
    const { t } = kit.ctx(res);
    const editable = canEdit(res);
    const applied = rec?.applied ?? null;
    const current = wordsOf(fact, applied);
    const fields = fieldsOf(fact);
    const words = (l: Localized | undefined) => (l ? html`<span lang="lv">${l.lv}</span><br><span lang="en">${l.en}</span>` : '');
    const body = html`<h1>${t('facts.factHeading', { id: fact.id })}</h1>
      ${o.done ? html`<p class="notice" role="status" id="done">${t(`facts.done.${o.done}`)}</p>` : ''}
      ${o.error ? html`<p class="error" role="alert" id="fact-error">${o.error}</p>` : ''}
      <p id="fact-state">${t('facts.stateLabel')}: ${stateText(res, rec)}</p>
      <table class="list" id="fact-words"><caption>${t('facts.wordsCaption')}</caption><thead><tr><th scope="col">${t('facts.field')}</th>
        <th scope="col">${t('facts.original')}</th><th scope="col">${t('facts.override')}</th></tr></thead><tbody>
        ${fields.map((f) => html`<tr><th scope="row">${t(`facts.fields.${f}`)}</th><td>${words(fact[f])}</td>
          <td>${applied ? (applied.outdated ? t('facts.stateOutdated') : words(current[f])) : '—'}</td></tr>`)}
      </tbody></table>
      ${editable && rec?.versions.some((v) => v.action !== 'draft') ? html`<form method="post" action="/staff/facts/${encodeURIComponent(fact.id)}/revert" class="inline">${kit.csrf(res)}<button type="submit" id="fact-revert">${t('facts.revert')}</button></form>` : ''}
      ${editable ? html`<h2>${t('facts.editHeading')}</h2><p>${t('facts.editExplain')}</p>
      ${rec?.draft ? html`<p class="notice" id="draft-note">${t('facts.draftNote', { by: rec.draft.by, at: rigaTime(rec.draft.at) })}</p>
        <form method="post" action="/staff/facts/${encodeURIComponent(fact.id)}/discard" class="inline">${kit.csrf(res)}<button type="submit">${t('facts.discard')}</button></form>` : ''}
      <form method="post" action="/staff/facts/${encodeURIComponent(fact.id)}" class="stack" id="fact-form">${kit.csrf(res)}
        ${fields.map((f) => html`<fieldset><legend>${t(`facts.fields.${f}`)}</legend>
          ${LANGS.map((l) => html`<div class="fields"><label for="f-${f}${l}">${t(`facts.new.${l}`)}</label>
            <textarea id="f-${f}${l}" name="${f}${l === 'lv' ? 'Lv' : 'En'}" lang="${l}" rows="3" cols="60">${o.input[f]?.[l] ?? ''}</textarea></div>`)}</fieldset>`)}
        <div class="check"><input type="checkbox" id="f-outdated" name="outdated" ${o.outdated ? html`checked` : ''}><label for="f-outdated">${t('facts.outdated')}</label></div>
        <label for="f-reason">${t('facts.reason')}</label><input id="f-reason" name="reason" value="${o.reason}" required minlength="${MIN_REASON}" maxlength="500">
        <div><button type="submit" name="op" value="preview" id="fact-preview">${t('facts.preview')}</button>
          <button type="submit" name="op" value="save" id="fact-save">${t('facts.save')}</button></div>
      </form>` : ''}
      ${o.preview ? previewSection(res, o.preview) : ''}
      ${rec ? versionsTable(res, rec.versions.map((v) => ({ ...v, before: overrideSummary(res, fact, v.before), after: v.action === 'draft' ? draftSummary(res, v.draft) : overrideSummary(res, fact, v.after) }))) : ''}
      <p><a href="/staff/facts">${t('facts.back')}</a></p>`;
    kit.send(res, t('facts.factHeading', { id: fact.id }), body, status);
  }

  function overrideSummary(res: Response, fact: Fact, o: FactOverride | null): string {
    const { t } = kit.ctx(res);
    if (!o) return `(${t('facts.stateOriginal')}) ${fact.text.lv} / ${fact.text.en}`;
    if (o.outdated) return `(${t('facts.stateOutdated')})`;
    return `${o.words.text.lv} / ${o.words.text.en}`;
  }

  function draftSummary(res: Response, input: FactInput | undefined): string {
    const { t } = kit.ctx(res);
    return FACT_FIELDS.filter((f) => input?.[f] && (input[f]!.lv || input[f]!.en)).map((f: FactField) => `${t(`facts.fields.${f}`)}: ${input![f]!.lv || '…'} / ${input![f]!.en || '…'}`).join(' · ');
  }

  function versionsTable(res: Response, rows: Array<{ n: number; at: string; by: string; action: string; reason?: string; before: string; after: string }>): SafeHtml {
    const { t } = kit.ctx(res);
    return html`<h2>${t('versions.heading')}</h2><table class="list" id="versions"><caption class="sr-only">${t('versions.heading')}</caption><thead><tr>
      <th scope="col">#</th><th scope="col">${t('versions.when')}</th><th scope="col">${t('versions.who')}</th><th scope="col">${t('versions.action')}</th>
      <th scope="col">${t('versions.reason')}</th><th scope="col">${t('versions.before')}</th><th scope="col">${t('versions.after')}</th></tr></thead><tbody>
      ${[...rows].reverse().map((v) => html`<tr><td>${v.n}</td><td>${rigaTime(v.at)}</td><td>${v.by}</td><td>${t(`versions.actions.${v.action}`)}</td><td>${v.reason ?? ''}</td><td>${v.before}</td><td>${v.after}</td></tr>`)}
      </tbody></table>`;
  }

  function previewSection(res: Response, preview: PreviewAnswer[]): SafeHtml {
    const { t } = kit.ctx(res);
    return html`<section aria-labelledby="preview-h" id="preview"><h2 id="preview-h">${t('preview.heading')}</h2><p>${t('preview.explain')}</p>
      ${preview.map((p) => html`<div class="turn" data-lang="${p.lang}" data-label="${p.label}"><p class="speaker"><strong>${t(`preview.${p.label}`)}</strong> · ${t(`languages.${p.lang}`)}${p.question ? html` · ${t('preview.question')}: <span lang="${p.lang}">${p.question}</span>` : ''}</p>
        <p class="text" lang="${p.lang}">${answerText(p.answer, false, false)}</p></div>`)}</section>`;
  }

  function noticeDetail(n: Notice): string {
    const o = n.scheduleOverride;
    return `${n.from}..${n.to}${o ? ` ${o.date} ${o.intervals.length ? 'hours' : 'closed'} ${[o, ...(n.scheduleOverrides ?? [])].map((x) => x.scheduleId).join(',')}` : ''}`;
  }
}
