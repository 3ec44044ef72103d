import type express from 'express';
import type { Request, Response, NextFunction } from 'express';
import type { Role } from '../staff/accounts';
import { TeachError, type Teach } from '../staff/teach';
import { exportChanges, type TeachChange, type Teaching } from '../staff/teachChanges';
import type { Preview } from '../staff/teachPool';
import { QUEUE_TABS, type QueueGroup, type QueueTab } from '../staff/teachQueue';
import { html, rigaTime, type SafeHtml, type T } from './staffHtml';

/** What the console lends these routes (its context, page frame, error handling and form helpers). */
export interface TeachRouteHelpers<C extends { t: T; lang: 'lv' | 'en'; ip: string; account?: { name: string; role: Role } }> {
  ctx(res: Response): C;
  send(res: Response, c: C, title: string, body: SafeHtml, status?: number): void;
  handle(fn: (req: Request, res: Response, next?: NextFunction) => Promise<void>): express.RequestHandler;
  need(c: C, role: Role): void;
  csrf(c: C): SafeHtml;
  masked(c: C, text: string): SafeHtml;
  field(req: Request, name: string): string;
  str(value: unknown): string | undefined;
  badRequest(detail: string): Error;
  /** The period's bounds from ?from=&to= (YYYY-MM-DD, Riga), default the last 30 days. */
  period(req: Request): { from: Date; to: Date; fromDay: string; toDay: string };
}

const json = (req: Request) => req.path.endsWith('.json') || (req.get('accept') ?? '').startsWith('application/json');

/**
 * The queue of unanswered and doubtful questions and teaching from it (/staff/queue,
 * /staff/teach, /staff/changes), with their JSON. Viewers see the queue; reviewers and
 * admins teach, revert and export.
 */
export function mountTeachRoutes<C extends { t: T; lang: 'lv' | 'en'; ip: string; account?: { name: string; role: Role } }>(
  r: express.Router, teach: Teach, h: TeachRouteHelpers<C>,
): void {
  const { ctx, send, handle, need, csrf, field, str } = h;

  const groupsOf = async (req: Request) => {
    const p = h.period(req);
    return { p, groups: await teach.queue.groups(p.from, p.to) };
  };

  r.get(['/queue', '/queue.json'], handle(async (req, res) => {
    const c = ctx(res);
    const tab = (QUEUE_TABS as readonly string[]).includes(str(req.query.tab) ?? '') ? (str(req.query.tab) as QueueTab) : 'new';
    const { p, groups } = await groupsOf(req);
    const shown = groups.filter((g) => g.status === tab);
    if (json(req)) {
      res.json({ from: p.fromDay, to: p.toDay, tab, counts: Object.fromEntries(QUEUE_TABS.map((t) => [t, groups.filter((g) => g.status === t).length])), groups: shown });
      return;
    }
    const query = (t: QueueTab) => new URLSearchParams({ tab: t, from: p.fromDay, to: p.toDay }).toString();
    send(res, c, c.t('teach.queueHeading'), html`<h1>${c.t('teach.queueHeading')}</h1>
      <p>${c.t('teach.queueExplain')}</p>
      ${str(req.query.done) === 'status' ? html`<p class="notice" role="status">${c.t('teach.statusSaved')}</p>` : ''}
      <form method="get" action="/staff/queue" class="filters"><fieldset><legend>${c.t('dashboard.period')}</legend>
        <input type="hidden" name="tab" value="${tab}">
        <div><label for="q-from">${c.t('list.from')}</label><input type="date" id="q-from" name="from" value="${p.fromDay}"></div>
        <div><label for="q-to">${c.t('list.to')}</label><input type="date" id="q-to" name="to" value="${p.toDay}"></div>
        <div><button type="submit">${c.t('dashboard.show')}</button></div></fieldset></form>
      <nav aria-label="${c.t('teach.tabs')}" class="tabs"><ul>${QUEUE_TABS.map((t) => html`<li><a href="/staff/queue?${query(t)}" ${t === tab ? html`aria-current="page"` : ''}>${c.t(`teach.tab.${t}`)} (${groups.filter((g) => g.status === t).length})</a></li>`)}</ul></nav>
      ${shown.length ? html`<table class="list" id="queue"><caption class="sr-only">${c.t(`teach.tab.${tab}`)}</caption><thead><tr>
        <th scope="col">${c.t('teach.question')}</th><th scope="col">${c.t('teach.language')}</th><th scope="col">${c.t('teach.count')}</th>
        <th scope="col">${c.t('teach.perWeek')}</th><th scope="col">${c.t('teach.reasons')}</th><th scope="col">${c.t('teach.last')}</th><th scope="col">${c.t('teach.conversations')}</th></tr></thead>
        <tbody>${shown.map((g) => html`<tr data-group="${g.id}">
          <th scope="row"><a href="/staff/queue/${g.id}?${new URLSearchParams({ from: p.fromDay, to: p.toDay }).toString()}">${h.masked(c, g.messages[0]!.text)}</a><br><small>${c.t('teach.stems')}: ${g.stems.join(' ')}</small></th>
          <td>${c.t(`languages.${g.lang}`)}</td><td>${g.count}</td>
          <td>${g.perWeek.map((w) => `${w.week}: ${w.count}`).join(', ')}</td>
          <td>${reasonsText(c.t, g)}</td><td>${rigaTime(g.lastTimestamp)}</td>
          <td>${g.conversations.slice(0, 5).map((id, i) => html`${i ? ', ' : ''}<a href="/staff/conversations/${encodeURIComponent(id)}">${i + 1}</a>`)}${g.conversations.length > 5 ? ` +${g.conversations.length - 5}` : ''}</td></tr>`)}</tbody></table>`
        : html`<p>${c.t('teach.empty')}</p>`}`);
  }));

  const findGroup = async (req: Request): Promise<{ group: QueueGroup; p: ReturnType<TeachRouteHelpers<C>['period']> }> => {
    const id = String(req.params.id ?? '').replace(/\.json$/, '');
    const { p, groups } = await groupsOf(req);
    const group = groups.find((g) => g.id === id);
    if (!group) throw h.badRequest('group');
    return { group, p };
  };

  r.get(['/queue/:id', '/queue/:id.json'], handle(async (req, res) => {
    const c = ctx(res);
    const { group, p } = await findGroup(req);
    const text = group.messages[0]!.text;
    const proposal = teach.propose(text, group.lang);
    if (json(req)) {
      res.json({ group, proposal });
      return;
    }
    const canTeach = hasTeachRole(c);
    send(res, c, c.t('teach.groupHeading'), html`<h1>${c.t('teach.groupHeading')}</h1>
      <p><a href="/staff/queue?${new URLSearchParams({ tab: group.status, from: p.fromDay, to: p.toDay }).toString()}">${c.t('teach.back')}</a></p>
      <dl class="facts"><dt>${c.t('teach.stems')}</dt><dd><code>${group.stems.join(' ')}</code></dd>
        <dt>${c.t('teach.count')}</dt><dd>${group.count}</dd><dt>${c.t('teach.perWeek')}</dt><dd>${group.perWeek.map((w) => `${w.week}: ${w.count}`).join(', ')}</dd>
        <dt>${c.t('teach.status')}</dt><dd>${c.t(`teach.tab.${group.status}`)}${group.statusBy ? ` (${group.statusBy}, ${rigaTime(group.statusAt ?? '')})` : ''}</dd></dl>
      <table class="list" id="messages"><caption>${c.t('teach.messages')}</caption><thead><tr><th scope="col">${c.t('teach.time')}</th><th scope="col">${c.t('teach.question')}</th>
        <th scope="col">${c.t('teach.reasons')}</th><th scope="col">${c.t('teach.intentScore')}</th><th scope="col">${c.t('teach.conversation')}</th></tr></thead>
        <tbody>${group.messages.slice(0, 50).map((m) => html`<tr><td>${rigaTime(m.timestamp)}</td><td>${h.masked(c, m.text)}</td>
          <td>${m.reasons.map((x) => c.t(`teach.reason.${x}`)).join(', ')}</td><td>${m.intent ?? ''} ${m.score ?? ''}</td>
          <td><a href="/staff/conversations/${encodeURIComponent(m.conversationId)}">${c.t('list.open')}</a></td></tr>`)}</tbody></table>
      ${canTeach ? teachForm(c, group, text, proposal) : html`<p>${c.t('teach.viewerOnly')}</p>`}
      ${canTeach ? html`<section aria-labelledby="status-h"><h2 id="status-h">${c.t('teach.status')}</h2>
        ${QUEUE_TABS.filter((t) => t !== group.status).map((t) => html`<form method="post" action="/staff/queue/${group.id}/status" class="inline">${csrf(c)}
          <input type="hidden" name="status" value="${t}"><button type="submit" id="status-${t}">${c.t(`teach.mark.${t}`)}</button></form>`)}</section>` : ''}`);
  }));

  function teachForm(c: C, group: QueueGroup, text: string, proposal: ReturnType<Teach['propose']>): SafeHtml {
    const options = [
      ...proposal.intents.map((i, n) => ({ value: `intent:${i.intent}`, label: c.t('teach.asIntent', { intent: i.intent, score: i.score.toFixed(2) }), checked: n === 0 })),
      ...proposal.facts.map((f) => ({ value: `fact:${f.id}`, label: c.t('teach.asFact', { id: f.id, text: f.text.slice(0, 120), score: f.score.toFixed(2) }), checked: false })),
    ];
    return html`<section aria-labelledby="teach-h"><h2 id="teach-h">${c.t('teach.teachHeading')}</h2><p>${c.t('teach.teachExplain')}</p>
      <form method="post" action="/staff/teach/preview" class="stack" id="teach-form">${csrf(c)}
        <input type="hidden" name="group" value="${group.id}"><input type="hidden" name="lang" value="${group.lang}">
        <label for="t-text">${c.t('teach.phrase')}</label><input id="t-text" name="text" value="${text}" maxlength="300" required>
        <fieldset id="proposals"><legend>${c.t('teach.proposals')}</legend>
          ${options.map((o, i) => html`<div class="check"><input type="radio" name="target" id="t-opt-${i}" value="${o.value}" ${o.checked ? html`checked` : ''}><label for="t-opt-${i}">${o.label}</label></div>`)}
          <div class="check"><input type="radio" name="target" id="t-opt-other" value="other" ${options.length ? '' : html`checked`}><label for="t-opt-other">${c.t('teach.otherIntent')}</label>
            <label for="t-intent" class="sr-only">${c.t('teach.otherIntent')}</label><select id="t-intent" name="intent">${teach.intents().map((i) => html`<option value="${i}">${i}</option>`)}</select></div>
        </fieldset>
        <button type="submit" id="preview">${c.t('teach.preview')}</button></form></section>`;
  }

  r.post('/queue/:id/status', handle(async (req, res) => {
    const c = ctx(res);
    need(c, 'reviewer');
    const status = field(req, 'status');
    if (!(QUEUE_TABS as readonly string[]).includes(status)) throw h.badRequest('status');
    const id = String(req.params.id);
    try {
      await teach.queue.setStatus(id, status as QueueTab, c.account!.name);
    } catch {
      throw h.badRequest('group');
    }
    await teach.recordAudit({ actor: c.account!.name, action: 'queue_status', target: id, ip: c.ip, detail: status });
    if (json(req)) {
      res.json({ ok: true });
      return;
    }
    res.redirect(303, `/staff/queue?tab=${status}&done=status`);
  }));

  const teachingOf = (req: Request): Teaching => {
    const target = field(req, 'target') === 'other' || !field(req, 'target') ? `intent:${field(req, 'intent')}` : field(req, 'target');
    try {
      return teach.teaching({ text: field(req, 'text'), lang: field(req, 'lang'), target });
    } catch (err) {
      if (err instanceof TeachError) throw h.badRequest(err.message);
      throw err;
    }
  };
  const sourceOf = (req: Request) => {
    const group = field(req, 'group');
    return /^g[0-9a-f]{16}$/.test(group) ? { group } : {};
  };

  r.post(['/teach/preview', '/teach/preview.json'], handle(async (req, res) => {
    const c = ctx(res);
    need(c, 'reviewer');
    const t = teachingOf(req);
    const preview = await teach.preview(t);
    if (json(req)) {
      res.json({ teaching: t, ...preview });
      return;
    }
    send(res, c, c.t('teach.previewHeading'), html`<h1>${c.t('teach.previewHeading')}</h1>
      <p id="teaching">${describeFor(c.t, t)}</p>
      ${t.kind === 'fact' ? html`<p class="notice">${c.t('teach.factLive')}</p>` : ''}
      ${results(c, preview)}
      ${preview.comparison.refused
        ? html`<p class="error" role="alert" id="refused">${c.t('teach.refused')}</p>`
        : html`<form method="post" action="/staff/teach/apply" class="stack">${csrf(c)}
          <input type="hidden" name="text" value="${t.text}"><input type="hidden" name="lang" value="${t.lang}">
          <input type="hidden" name="target" value="${t.kind === 'phrase' ? `intent:${t.intent}` : `fact:${t.factId}`}">
          <input type="hidden" name="group" value="${field(req, 'group')}">
          <button type="submit" id="apply">${c.t('teach.apply')}</button></form>`}`);
  }));

  r.post(['/teach/apply', '/teach/apply.json'], handle(async (req, res) => {
    const c = ctx(res);
    need(c, 'reviewer');
    const t = teachingOf(req);
    const result = await teach.apply(t, c.account!.name, c.ip, sourceOf(req));
    if (json(req)) {
      res.status(result.applied ? 200 : 409).json({ applied: result.applied, ...(result.applied ? { change: result.change } : {}), comparison: result.preview.comparison });
      return;
    }
    if (!result.applied) {
      send(res, c, c.t('teach.refusedHeading'), html`<h1>${c.t('teach.refusedHeading')}</h1><p id="teaching">${describeFor(c.t, t)}</p>
        <p class="error" role="alert" id="refused">${c.t('teach.refused')}</p>${results(c, result.preview)}`, 409);
      return;
    }
    res.redirect(303, `/staff/changes?done=applied&id=${result.change.id}`);
  }));

  r.get(['/changes', '/changes.json'], handle(async (req, res) => {
    const c = ctx(res);
    const all = (await teach.changes.all()).reverse();
    if (json(req)) {
      res.json({ changes: all, version: await teach.changes.version() });
      return;
    }
    const done = str(req.query.done);
    const canTeach = hasTeachRole(c);
    send(res, c, c.t('teach.changesHeading'), html`<h1>${c.t('teach.changesHeading')}</h1><p>${c.t('teach.changesExplain')}</p>
      ${done === 'applied' ? html`<p class="notice" role="status" id="applied">${c.t('teach.applied')}</p>` : ''}
      ${done === 'reverted' ? html`<p class="notice" role="status" id="reverted">${c.t('teach.reverted')}</p>` : ''}
      ${canTeach ? html`<p><a href="/staff/changes/export.json" id="export">${c.t('teach.export')}</a></p>` : ''}
      ${all.length ? html`<table class="list" id="changes"><caption class="sr-only">${c.t('teach.changesHeading')}</caption><thead><tr>
        <th scope="col">${c.t('teach.time')}</th><th scope="col">${c.t('teach.who')}</th><th scope="col">${c.t('teach.change')}</th>
        <th scope="col">${c.t('teach.beforeAfter')}</th><th scope="col">${c.t('teach.evaluation')}</th><th scope="col">${c.t('teach.status')}</th></tr></thead>
        <tbody>${all.map((ch) => changeRow(c, ch, canTeach))}</tbody></table>` : html`<p>${c.t('teach.noChanges')}</p>`}`);
  }));

  function changeRow(c: C, ch: TeachChange, canTeach: boolean): SafeHtml {
    return html`<tr data-change="${ch.id}"><td>${rigaTime(ch.appliedAt)}</td><td>${ch.appliedBy}</td><td>${describeFor(c.t, ch.teaching)}</td>
      <td>${c.t('teach.phraseCount', { before: ch.before.length, after: ch.after.length })}</td>
      <td>${ch.evaluation.map((e) => html`<div>${e.set}: ${e.before} → ${e.after} / ${e.total}</div>`)}</td>
      <td>${ch.reverted ? c.t('teach.revertedBy', { name: ch.reverted.by, time: rigaTime(ch.reverted.at) })
        : canTeach ? html`${c.t('teach.active')} <form method="post" action="/staff/changes/${ch.id}/revert" class="inline">${csrf(c)}<button type="submit" class="danger" id="revert-${ch.id}">${c.t('teach.revert')}</button></form>` : c.t('teach.active')}</td></tr>`;
  }

  r.post('/changes/:id/revert', handle(async (req, res) => {
    const c = ctx(res);
    need(c, 'reviewer');
    const change = await teach.revert(String(req.params.id), c.account!.name, c.ip);
    if (!change) throw h.badRequest('change');
    if (json(req)) {
      res.json({ reverted: change });
      return;
    }
    res.redirect(303, '/staff/changes?done=reverted');
  }));

  r.get('/changes/export.json', handle(async (_req, res) => {
    const c = ctx(res);
    need(c, 'reviewer');
    const data = exportChanges(await teach.changes.all());
    await teach.recordAudit({ actor: c.account!.name, action: 'export', ip: c.ip, detail: `training changes: ${data.changes.length}` });
    res.set('content-disposition', 'attachment; filename="training-changes.json"').type('application/json').send(JSON.stringify(data, null, 2));
  }));

  function results(c: C, p: Preview): SafeHtml {
    const cmp = p.comparison;
    return html`<section aria-labelledby="numbers-h"><h2 id="numbers-h">${c.t('teach.numbers')}</h2>
      <table id="numbers"><caption>${c.t('teach.numbers')}</caption><thead><tr><th scope="col">${c.t('teach.set')}</th><th scope="col">${c.t('teach.before')}</th><th scope="col">${c.t('teach.after')}</th><th scope="col">${c.t('teach.total')}</th></tr></thead>
        <tbody>${cmp.numbers.map((n) => html`<tr data-set="${n.set}"><th scope="row">${c.t(`teach.eval.${n.eval}`)}: ${n.set}</th><td class="before">${n.before}</td><td class="after">${n.after}</td><td>${n.total}</td></tr>`)}</tbody></table>
      <p class="small">${c.t('teach.timing', { seconds: (p.ms / 1000).toFixed(1) })}</p>
      <h2 id="intents-h">${c.t('teach.perIntent')}</h2>
      ${cmp.perIntent.length ? html`<table id="per-intent"><caption>${c.t('teach.perIntent')}</caption><thead><tr><th scope="col">${c.t('teach.intent')}</th><th scope="col">${c.t('teach.before')}</th><th scope="col">${c.t('teach.after')}</th><th scope="col">${c.t('teach.total')}</th></tr></thead>
        <tbody>${cmp.perIntent.map((i) => html`<tr><th scope="row">${i.intent}</th><td>${i.before}</td><td>${i.after}</td><td>${i.total}</td></tr>`)}</tbody></table>` : html`<p>${c.t('teach.noIntentChange')}</p>`}
      <h2 id="lines-h">${c.t('teach.changedLines')}</h2>
      ${cmp.changed.length ? html`<table id="changed-lines" class="list"><caption>${c.t('teach.changedLines')}</caption><thead><tr><th scope="col">${c.t('teach.line')}</th><th scope="col">${c.t('teach.question')}</th>
        <th scope="col">${c.t('teach.expected')}</th><th scope="col">${c.t('teach.before')}</th><th scope="col">${c.t('teach.after')}</th><th scope="col">${c.t('teach.result')}</th></tr></thead>
        <tbody>${cmp.changed.map((l) => html`<tr data-line="${l.set}#${l.id}" class="${l.passBefore && !l.passAfter ? 'broken' : !l.passBefore && l.passAfter ? 'fixed' : ''}">
          <th scope="row">${l.set}#${l.id}</th><td>${l.text}</td><td>${l.expected}</td><td>${l.before}</td><td>${l.after}</td>
          <td>${c.t(l.passBefore && !l.passAfter ? 'teach.broken' : !l.passBefore && l.passAfter ? 'teach.fixed' : 'teach.otherChange')}</td></tr>`)}</tbody></table>` : html`<p>${c.t('teach.noLineChange')}</p>`}</section>`;
  }
}

function hasTeachRole(c: { account?: { role: Role } }): boolean {
  return c.account?.role === 'reviewer' || c.account?.role === 'admin';
}

function reasonsText(t: T, g: QueueGroup): string {
  return Object.entries(g.reasons).map(([k, n]) => `${t(`teach.reason.${k}`)} ${n}`).join(', ');
}

function describeFor(t: T, x: Teaching): string {
  return x.kind === 'phrase' ? t('teach.describePhrase', { intent: x.intent, lang: x.lang, text: x.text }) : t('teach.describeFact', { id: x.factId, lang: x.lang, text: x.text });
}

