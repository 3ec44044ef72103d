import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import { addDays, parseIsoDate, toIsoDate, type LocalDate } from '../knowledge/calendarRules';
import { localNow } from '../knowledge/opening';
import { isStorageUnavailable } from '../storage/errors';
import { redact } from '../storage/redact';
import type { Stores } from '../storage';
import type { Rating } from '../storage/ratingStore';
import type { TranscriptRecord } from '../storage/transcriptStore';
import { createStaffKv, createStaffServices, type StaffServices } from '../staff';
import type { Config } from './config';
import { AccountError, Accounts, hasRole, isRole, MIN_PASSWORD_LENGTH, ROLES, type Account, type PublicAccount, type Role } from '../staff/accounts';
import { AUDIT_ACTIONS, type AuditAction, type AuditEntry } from '../staff/audit';
import { LIST_OUTCOMES, MAX_EXPORT, type ConversationFilter, type ConversationRow, type ListOutcome } from '../staff/conversations';
import { dashboard, type Dashboard } from '../staff/dashboard';
import { eraseConversation, retentionDryRun } from '../staff/erasure';
import { conversationRows, toCsv, turnRows } from '../staff/export';
import { isVerdict, VERDICTS, type Review } from '../staff/reviews';
import { checkTotp, groupedSecret, newTotpSecret, totpUri } from '../staff/totp';
import { OidcLogin, parseRoleMap, type PendingLogin } from '../staff/oidc';
import type { Session } from '../staff/sessions';
import { clientAddress } from './directline/directLine';
import type { Logger } from './logger';
import { LOCALES_DIR, PROJECT_ROOT } from './paths';
import { rigaMidnight } from './staff';
import { barChart, html, rigaTime, SafeHtml, StaffTexts, type Lang, type T } from './staffHtml';
import type { LiveKnowledge } from '../knowledge/overlay';
import type { Messages } from '../locales/i18n';
import { StaffKnowledge } from '../staff/liveKnowledge';
import { registerKnowledgeRoutes } from './staffKnowledge';
import { Teach } from '../staff/teach';
import type { LiveRecognizer } from '../nlu/liveRecognizer';
import { mountTeachRoutes } from './staffTeach';

export interface StaffConsoleOptions {
  services: StaffServices;
  stores: Pick<Stores, 'storage' | 'transcripts' | 'ratings'>;
  logger: Logger;
  /** TRANSCRIPT_RETENTION_DAYS, for the retention page's dry run. */
  retentionDays: number;
  proxyHops?: number;
  localesDir?: string;
  /** The current time; tests move it (session timeouts). */
  now?: () => Date;
  /** STAFF_REQUIRE_TOTP: admins must have a second factor. */
  requireTotp?: boolean;
  /** Single sign-on, when OIDC_* are set. */
  oidc?: OidcLogin;
  /** Notices and fact edits (/staff/notices, /staff/facts), when the console runs beside the assistant. */
  knowledge?: StaffKnowledge;
  /** The queue of unanswered questions and teaching from it (server/staffTeach.ts). */
  teach?: Teach;
}

interface Ctx {
  lang: Lang;
  t: T;
  ip: string;
  cookies: Record<string, string>;
  sid?: string;
  session?: Session;
  account?: Account;
}

const SESSION_COOKIE = 'staff_sid';
const SIGNIN_COOKIE = 'staff_signin';
const LANG_COOKIE = 'staff_lang';
const OIDC_COOKIE = 'staff_oidc';
const OIDC_PENDING_MS = 10 * 60 * 1000;
const PAGE_SIZE = 25;
const AUDIT_PAGE_LIMIT = 500;
const CSS = readFileSync(join(PROJECT_ROOT, 'server', 'public', 'staff.css'));

const CSP = [
  "default-src 'none'", "style-src 'self'", "img-src 'self'", "form-action 'self'",
  "frame-ancestors 'none'", "base-uri 'none'",
].join('; ');

class BadRequest extends Error {}
class Forbidden extends Error {}

/** The console as configured (its store: DATA_DIR, or Redis with REDIS_URL); close() closes its store too. */
export function createStaffConsoleFromConfig(
  config: Config,
  deps: { stores: StaffConsoleOptions['stores']; logger: Logger; now?: () => Date; knowledge?: LiveKnowledge; messages?: Messages; teach?: TeachWiring },
): { router: express.Router; close(): Promise<void>; knowledge?: StaffKnowledge } {
  const kv = createStaffKv({ dataDir: config.DATA_DIR, keyPrefix: config.REDIS_KEY_PREFIX, logger: (msg) => deps.logger.warn(msg), ...(config.REDIS_URL ? { redisUrl: config.REDIS_URL } : {}) });
  const now = deps.now ?? (() => new Date());
  const services = createStaffServices(kv, deps.stores, now);
  // Staff notices and fact edits: read from the staff store now and whenever its version changes.
  const staffKnowledge = deps.knowledge && deps.messages ? new StaffKnowledge({ kv, live: deps.knowledge, messages: deps.messages, now, logger: deps.logger }) : undefined;
  void staffKnowledge?.start();
  const teach = createTeach(deps, services, now);
  const console_ = createStaffConsole({
    services, stores: deps.stores, logger: deps.logger, now, ...(teach ? { teach } : {}),
    retentionDays: config.TRANSCRIPT_RETENTION_DAYS, proxyHops: config.TRUST_PROXY_HOPS, requireTotp: config.STAFF_REQUIRE_TOTP,
    ...(config.OIDC_ISSUER && config.OIDC_CLIENT_ID && config.OIDC_CLIENT_SECRET ? {
      oidc: new OidcLogin({
        issuer: config.OIDC_ISSUER, clientId: config.OIDC_CLIENT_ID, clientSecret: config.OIDC_CLIENT_SECRET, scopes: config.OIDC_SCOPES,
        roleClaim: config.OIDC_ROLE_CLAIM, roleMap: parseRoleMap(config.OIDC_ROLE_MAP), ...(config.OIDC_REDIRECT_URI ? { redirectUri: config.OIDC_REDIRECT_URI } : {}),
      }),
    } : {}),
    ...(staffKnowledge ? { knowledge: staffKnowledge } : {}),
  });
  return {
    router: console_.router,
    ...(staffKnowledge ? { knowledge: staffKnowledge } : {}),
    close: async () => {
      console_.close();
      // Digests made in the last seconds (the read-ahead's) are kept for the next start.
      await services.queries.flush().catch(() => undefined);
      await staffKnowledge?.close();
      await teach?.close();
      await kv.close();
    },
  };
}

/** What the wiring gives teaching: the bot's live recognizer, the data folders, when to warm the worker up. */
export interface TeachWiring { live: LiveRecognizer; localesDir: string; knowledgeDir: string; warmAfterMs?: number }

/** Teaching from the queue, when the bot's live recognizer is given: its poller starts here. */
function createTeach(deps: { stores: StaffConsoleOptions['stores']; logger: Logger; knowledge?: LiveKnowledge; teach?: TeachWiring }, services: StaffServices, now: () => Date): Teach | undefined {
  if (!deps.teach) return undefined;
  const teach = new Teach({
    kv: services.kv, stores: deps.stores, reviews: services.reviews, audit: services.audit, live: deps.teach.live,
    ...(deps.knowledge ? { knowledge: deps.knowledge } : {}),
    root: PROJECT_ROOT, localesDir: deps.teach.localesDir, knowledgeDir: deps.teach.knowledgeDir, logger: deps.logger, now,
  });
  // with Redis, changes come from other instances too: the worker can be ready before the first one
  teach.start(deps.teach.warmAfterMs !== undefined ? { warmAfterMs: deps.teach.warmAfterMs } : {});
  return teach;
}

/** The staff console at /staff: server-rendered pages, sessions in the staff store, no script. */
export function createStaffConsole(options: StaffConsoleOptions): { router: express.Router; close(): void } {
  const { services, stores, logger } = options;
  const { accounts, sessions, lockout, audit, reviews, queries } = services;
  const now = options.now ?? (() => new Date());
  const texts = new StaffTexts(options.localesDir ?? LOCALES_DIR);
  const hops = options.proxyHops ?? 0;

  // Daily: the audit log's year, expired sessions and lockouts on disk, reviews of conversations gone.
  const pruneAudit = () =>
    Promise.all([
      audit.prune(),
      services.kv.sweep(),
      reviews.pruneOrphans(async (id) => (await stores.transcripts.get(id)).length > 0),
    ]).catch((err: Error) => logger.warn('staff: daily clean-up failed', { error: err.name }));
  // The list's kept digests of conversations gone since (retention, API erasure) too. Not at once:
  // reading every review and staff file at start slowed the first search of a fresh process.
  const sweepDigests = () => void queries.sweep().catch((err: Error) => logger.warn('staff: digest sweep failed', { error: err.name }));
  const sweepTimer = setTimeout(() => {
    void pruneAudit();
    sweepDigests();
  }, 60_000);
  sweepTimer.unref();
  const pruneTimer = setInterval(() => {
    void pruneAudit();
    sweepDigests();
  }, 24 * 3600 * 1000);
  pruneTimer.unref();
  // The last month's digests read ahead at once (on disk: 31 files), so the first search is quick too.
  const warmTimer = setTimeout(() => {
    const started = Date.now();
    queries.warm(new Date(now().getTime() - 31 * 86_400_000)).then(
      (n) => logger.debug('staff console: conversations read ahead', { conversations: n, ms: Date.now() - started }),
      (err: Error) => logger.debug('staff console: read-ahead failed', { error: err.name }),
    );
  }, 0);
  warmTimer.unref();

  const r = express.Router();
  r.use((req: Request, res: Response, next: NextFunction) => {
    res.set({
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
      'cache-control': 'no-store',
    });
    if (isHttps(req, hops)) res.set('strict-transport-security', 'max-age=31536000; includeSubDomains');
    const cookies = parseCookies(req.get('cookie'));
    const lang: Lang = cookies[LANG_COOKIE] === 'en' ? 'en' : 'lv';
    res.locals.ctx = { lang, t: texts.for(lang), ip: clientAddress(req, hops), cookies } satisfies Ctx;
    next();
  });
  r.use(express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 100 }));

  r.get('/static/staff.css', (_req, res) => {
    res.set({ 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=3600' }).send(CSS);
  });

  r.get('/lang', (req, res) => {
    const to = str(req.query.to) === 'en' ? 'en' : 'lv';
    setCookie(req, res, LANG_COOKIE, to, { maxAge: 365 * 86400 });
    res.redirect(303, safeBack(str(req.query.back)));
  });

  // ---- sign-in (no session yet) ----
  r.get('/signin', (req, res) => {
    const notice = str(req.query.expired) ? 'expired' : str(req.query.out) ? 'signedOut' : undefined;
    renderSignin(req, res, notice ? { info: ctx(res).t(`signin.${notice}`) } : {});
  });

  r.post('/signin', handle(async (req, res) => {
    const c = ctx(res);
    const pre = c.cookies[SIGNIN_COOKIE];
    if (!pre || !same(pre, field(req, '_csrf'))) throw new Forbidden();
    const name = field(req, 'name').slice(0, 64);
    // What was typed as a name goes to the audit log: masked like any free text.
    const typed = redact(name);
    const password = field(req, 'password');
    const lockedMs = await lockout.lockedFor(name, c.ip);
    if (lockedMs > 0) {
      await audit.record({ actor: typed, action: 'signin_failed', ip: c.ip, detail: 'locked' });
      return renderSignin(req, res, { error: c.t('signin.locked', { minutes: Math.ceil(lockedMs / 60000) }), name }, 429);
    }
    const account = await accounts.verify(name, password);
    if (!account) {
      await lockout.failed(name, c.ip);
      await audit.record({ actor: typed, action: 'signin_failed', ip: c.ip });
      return renderSignin(req, res, { error: c.t('signin.failed'), name }, 401);
    }
    await lockout.succeeded(name);
    // A new id at sign-in: a session id planted before it is worth nothing.
    if (c.cookies[SESSION_COOKIE]) await sessions.destroy(c.cookies[SESSION_COOKIE]!);
    const { id } = await sessions.create(account.name, account.role, account.mustChangePassword, account.totpSecret ? 'totp' : undefined);
    setCookie(req, res, SESSION_COOKIE, id);
    clearCookie(req, res, SIGNIN_COOKIE);
    if (account.totpSecret) return res.redirect(303, '/staff/signin/totp');
    await audit.record({ actor: account.name, action: 'signin', ip: c.ip });
    res.redirect(303, account.mustChangePassword ? '/staff/password' : safeBack(field(req, 'next')));
  }));

  // ---- single sign-on (OpenID Connect: authorization code + PKCE) ----
  r.get('/oidc/start', handle(async (req, res) => {
    const oidc = options.oidc;
    if (!oidc) throw new BadRequest('single sign-on is not configured');
    const { url, pending } = await oidc.start(`${origin(req, hops)}/staff/oidc/callback`, safeBack(str(req.query.next)));
    await services.kv.set<PendingLogin>('oidc', pending.state, pending, OIDC_PENDING_MS);
    setCookie(req, res, OIDC_COOKIE, pending.state, { maxAge: OIDC_PENDING_MS / 1000 });
    res.redirect(303, url);
  }));

  r.get('/oidc/callback', handle(async (req, res) => {
    const c = ctx(res);
    const oidc = options.oidc;
    if (!oidc) throw new BadRequest('single sign-on is not configured');
    const state = str(req.query.state) ?? '';
    // The flow must come back to the browser that started it.
    const pending = state && same(state, c.cookies[OIDC_COOKIE] ?? '') ? await services.kv.get<PendingLogin>('oidc', state) : undefined;
    if (pending) await services.kv.delete('oidc', state);
    clearCookie(req, res, OIDC_COOKIE);
    if (!pending) return renderSignin(req, res, { error: c.t('signin.ssoFailed') }, 400);
    let identity;
    try {
      identity = await oidc.finish(new URL(req.originalUrl, new URL(pending.redirectUri).origin), pending);
    } catch (err) {
      logger.warn('staff console: single sign-on failed', { error: err instanceof Error ? err.name : typeof err, detail: err instanceof Error ? err.message.slice(0, 200) : '' });
      return renderSignin(req, res, { error: c.t('signin.ssoFailed') }, 401);
    }
    const account = identity.role && identity.name ? await accounts.ssoSignIn(identity.name, identity.role).catch(() => undefined) : undefined;
    if (!account) {
      await audit.record({ actor: identity.name.slice(0, 64) || '?', action: 'signin_failed', ip: c.ip, detail: identity.role ? 'sso: account disabled' : 'sso: no role' });
      return renderSignin(req, res, { error: c.t('signin.noRole') }, 403);
    }
    if (c.cookies[SESSION_COOKIE]) await sessions.destroy(c.cookies[SESSION_COOKIE]!);
    const { id } = await sessions.create(account.name, account.role, false);
    await sessions.update(id, { sso: true });
    setCookie(req, res, SESSION_COOKIE, id);
    await audit.record({ actor: account.name, action: 'signin', ip: c.ip, detail: `sso, role ${account.role}` });
    res.redirect(303, pending.next);
  }));

  // ---- everything else needs a session ----
  r.use(handle(async (req, res, next) => {
    const c = ctx(res);
    const sid = c.cookies[SESSION_COOKIE];
    const session = sid ? await sessions.get(sid) : undefined;
    const account = session ? await accounts.get(session.account) : undefined;
    if (!sid || !session || !account || account.disabled) {
      if (sid && session) await sessions.destroy(sid);
      if (wantsJson(req)) {
        res.status(401).json({ error: 'sign in first' });
        return;
      }
      const query = new URLSearchParams();
      if (sid) query.set('expired', '1');
      if (req.method === 'GET') query.set('next', req.originalUrl);
      res.redirect(303, `/staff/signin${query.size ? `?${query.toString()}` : ''}`);
      return;
    }
    Object.assign(c, { sid, session, account });
    if (req.method === 'POST' && !same(session.csrf, field(req, '_csrf'))) throw new Forbidden('csrf');
    const open = (...paths: string[]) => [...paths, '/signout'].includes(req.path);
    if (session.stage === 'totp') {
      if (!open('/signin/totp')) return res.redirect(303, '/staff/signin/totp');
    } else if (account.mustChangePassword) {
      if (!open('/password')) return res.redirect(303, '/staff/password');
    } else if (options.requireTotp && account.role === 'admin' && !account.totpSecret && !session.sso) {
      if (!open('/totp')) return res.redirect(303, '/staff/totp');
    }
    next!();
  }));

  r.get('/', (_req, res) => res.redirect(303, '/staff/conversations'));

  r.post('/signout', handle(async (_req, res) => {
    const c = ctx(res);
    await sessions.destroy(c.sid!);
    clearCookie(_req, res, SESSION_COOKIE);
    await audit.record({ actor: c.account!.name, action: 'signout', ip: c.ip });
    res.redirect(303, '/staff/signin?out=1');
  }));

  // ---- password ----
  r.get('/password', (_req, res) => renderPassword(res, {}));
  r.post('/password', handle(async (req, res) => {
    const c = ctx(res);
    const account = c.account!;
    const current = field(req, 'current');
    const next = field(req, 'new');
    if (!(await accounts.verify(account.name, current))) return renderPassword(res, { error: c.t('password.wrongCurrent') }, 400);
    if (next !== field(req, 'repeat')) return renderPassword(res, { error: c.t('password.mismatch') }, 400);
    try {
      await accounts.changePassword(account.name, next);
    } catch (err) {
      if (err instanceof AccountError && (err.code === 'weak_password' || err.code === 'same_password')) {
        return renderPassword(res, { error: c.t(err.code === 'weak_password' ? 'password.weak' : 'password.same', { min: MIN_PASSWORD_LENGTH }) }, 400);
      }
      throw err;
    }
    // A new session id after a credential change, too.
    await sessions.destroy(c.sid!);
    const { id } = await sessions.create(account.name, account.role, false);
    setCookie(req, res, SESSION_COOKIE, id);
    await audit.record({ actor: account.name, action: 'password_changed', target: account.name, ip: c.ip });
    res.redirect(303, '/staff/conversations?done=password');
  }));

  // ---- second factor ----
  r.get('/signin/totp', (_req, res) => renderTotpSignin(res, {}));
  r.post('/signin/totp', handle(async (req, res) => {
    const c = ctx(res);
    const account = c.account!;
    if (c.session!.stage !== 'totp' || !account.totpSecret) return res.redirect(303, '/staff/conversations');
    const lockedMs = await lockout.lockedFor(account.name, c.ip);
    const step = lockedMs > 0 ? undefined : checkTotp(account.totpSecret, field(req, 'code'), now().getTime(), account.totpLastStep);
    if (step === undefined) {
      if (lockedMs === 0) await lockout.failed(account.name, c.ip);
      await audit.record({ actor: account.name, action: 'totp_failed', ip: c.ip });
      const locked = await lockout.lockedFor(account.name, c.ip);
      if (locked > 0) {
        await sessions.destroy(c.sid!);
        clearCookie(req, res, SESSION_COOKIE);
        return renderSignin(req, res, { error: c.t('signin.locked', { minutes: Math.ceil(locked / 60000) }) }, 429);
      }
      return renderTotpSignin(res, { error: c.t('totp.wrong') }, 401);
    }
    await accounts.useTotpStep(account.name, step);
    await lockout.succeeded(account.name);
    await sessions.destroy(c.sid!);
    const { id } = await sessions.create(account.name, account.role, account.mustChangePassword);
    setCookie(req, res, SESSION_COOKIE, id);
    await audit.record({ actor: account.name, action: 'signin', ip: c.ip, detail: 'totp' });
    res.redirect(303, account.mustChangePassword ? '/staff/password' : '/staff/conversations');
  }));

  r.get('/totp', handle(async (_req, res) => {
    const c = ctx(res);
    let candidate = c.session!.totpCandidate;
    if (!c.account!.totpSecret && !candidate) {
      candidate = newTotpSecret();
      await sessions.update(c.sid!, { totpCandidate: candidate });
    }
    renderTotp(res, { candidate });
  }));
  r.post('/totp', handle(async (req, res) => {
    const c = ctx(res);
    const candidate = c.session!.totpCandidate;
    if (c.account!.totpSecret || !candidate) return res.redirect(303, '/staff/totp');
    const step = checkTotp(candidate, field(req, 'code'), now().getTime());
    if (step === undefined) return renderTotp(res, { candidate, error: c.t('totp.wrong') }, 400);
    await accounts.setTotp(c.account!.name, candidate, step);
    await sessions.update(c.sid!, { totpCandidate: undefined });
    await audit.record({ actor: c.account!.name, action: 'totp_enrolled', target: c.account!.name, ip: c.ip });
    res.redirect(303, '/staff/totp?done=1');
  }));
  r.post('/totp/remove', handle(async (req, res) => {
    const c = ctx(res);
    const account = c.account!;
    if (options.requireTotp && account.role === 'admin') return renderTotp(res, { error: c.t('totp.cannotRemove') }, 400);
    if (!account.totpSecret || checkTotp(account.totpSecret, field(req, 'code'), now().getTime(), account.totpLastStep) === undefined) {
      return renderTotp(res, { error: c.t('totp.wrong') }, 400);
    }
    await accounts.setTotp(account.name, undefined);
    await audit.record({ actor: account.name, action: 'totp_removed', target: account.name, ip: c.ip });
    res.redirect(303, '/staff/totp?removed=1');
  }));

  // ---- conversations ----
  r.get('/conversations', handle(async (req, res) => {
    const c = ctx(res);
    const { filter, params } = parseFilter(req.query as Record<string, unknown>);
    const page = Math.max(1, Math.min(100_000, Number(str(req.query.page)) || 1));
    const result = await queries.list(filter, page, PAGE_SIZE);
    const pages = Math.max(1, Math.ceil(result.total / PAGE_SIZE));
    const link = (p: number) => `/staff/conversations?${withParam(params, 'page', String(p))}`;
    const today = localNow(now()).date;
    const last7 = new URLSearchParams(params);
    last7.set('from', toIsoDate(addDays(today, -6)));
    last7.set('to', toIsoDate(today));
    last7.delete('page');
    const done = str(req.query.done);
    const body = html`
      <h1>${c.t('list.heading')}</h1>
      ${done === 'password' ? html`<p class="notice" role="status">${c.t('password.changed')}</p>` : ''}
      ${done === 'erased' ? html`<p class="notice" role="status">${c.t('erase.done')}</p>` : ''}
      ${filterForm(c, filter)}
      <p><a href="/staff/conversations?${last7.toString()}">${c.t('list.last7')}</a> · <a href="/staff/conversations">${c.t('list.clear')}</a></p>
      <p role="status" id="found">${c.t('list.found', { total: result.total })}</p>
      ${result.rows.length ? conversationTable(c, result.rows) : html`<p>${c.t('list.empty')}</p>`}
      ${pages > 1 ? html`<nav aria-label="${c.t('list.paging')}" class="paging">
        ${page > 1 ? html`<a rel="prev" href="${link(page - 1)}">${c.t('list.prev')}</a>` : ''}
        <span>${c.t('list.page', { page, pages })}</span>
        ${page < pages ? html`<a rel="next" href="${link(page + 1)}">${c.t('list.next')}</a>` : ''}
      </nav>` : ''}
      ${hasRole(c.account!.role, 'reviewer') ? exportForm(c, params) : ''}`;
    send(res, c, c.t('list.heading'), body);
  }));

  r.get('/conversations/:id', handle(async (req, res) => {
    const c = ctx(res);
    const id = convId(req);
    const records = await queries.records(id);
    await audit.record({ actor: c.account!.name, action: 'view_conversation', target: id, ip: c.ip });
    if (records.length === 0) {
      return send(res, c, c.t('conversation.heading'), html`<h1>${c.t('conversation.heading')}</h1><p>${c.t('conversation.notFound')}</p><p><a href="/staff/conversations">${c.t('conversation.back')}</a></p>`, 404);
    }
    const ratings = await queries.ratingsOf(id, { first: records[0]!.timestamp, last: records[records.length - 1]!.timestamp });
    const review = await reviews.get(id);
    send(res, c, c.t('conversation.heading'), conversationPage(c, id, records, ratings, review, str(req.query.done)));
  }));

  r.post('/conversations/:id/review', handle(async (req, res) => {
    const c = ctx(res);
    need(c, 'reviewer');
    const id = convId(req);
    const verdict = field(req, 'verdict');
    await reviews.set(id, {
      reviewed: field(req, 'reviewed') === 'on',
      ...(isVerdict(verdict) ? { verdict } : {}),
      tags: field(req, 'tags').split(','),
      note: field(req, 'note').slice(0, 4000),
    }, c.account!.name);
    await audit.record({ actor: c.account!.name, action: 'review', target: id, ip: c.ip, detail: `reviewed=${field(req, 'reviewed') === 'on'} verdict=${isVerdict(verdict) ? verdict : '-'}` });
    res.redirect(303, `/staff/conversations/${encodeURIComponent(id)}?done=saved`);
  }));

  r.post('/conversations/:id/erase', handle(async (req, res) => {
    const c = ctx(res);
    need(c, 'admin');
    const id = convId(req);
    if (field(req, 'confirm') !== 'on') return res.redirect(303, `/staff/conversations/${encodeURIComponent(id)}?done=notConfirmed`);
    const n = await eraseConversation(stores, reviews, id);
    await queries.forget(id);
    await audit.record({ actor: c.account!.name, action: 'erase', target: id, ip: c.ip, detail: `records=${n}` });
    logger.info('staff: conversation erased', { records: n });
    res.redirect(303, '/staff/conversations?done=erased');
  }));

  r.post('/export', handle(async (req, res) => {
    const c = ctx(res);
    need(c, 'reviewer');
    const reason = field(req, 'reason').trim();
    if (reason.length < 5) throw new BadRequest(c.t('export.reasonMissing'));
    const { filter, params } = parseFilter(req.body as Record<string, unknown>);
    const format = field(req, 'format') === 'json' ? 'json' : 'csv';
    const shape = field(req, 'shape') === 'turns' ? 'turns' : 'conversations';
    const rows = await queries.matching(filter, MAX_EXPORT);
    let data: Array<Record<string, unknown>>;
    if (shape === 'conversations') data = conversationRows(rows);
    else {
      data = [];
      for (const row of rows) data.push(...turnRows(await queries.records(row.conversationId)));
    }
    await audit.record({
      actor: c.account!.name, action: 'export', ip: c.ip,
      detail: `${format} ${shape} rows=${data.length} filter=${redact(params.toString()) || '-'} reason=${redact(reason).slice(0, 500)}`,
    });
    const stamp = now().toISOString().slice(0, 10);
    res.set('content-disposition', `attachment; filename="conversations-${shape}-${stamp}.${format}"`);
    if (format === 'json') res.type('application/json').send(JSON.stringify(data, null, 1));
    else res.type('text/csv; charset=utf-8').send(`\ufeff${toCsv(data)}`);
  }));

  // ---- dashboard ----
  const dashboardOf = async (req: Request): Promise<Dashboard> => {
    const today = localNow(now()).date;
    const toDay = day(str(req.query.to)) ?? today;
    const fromDay = day(str(req.query.from)) ?? addDays(toDay, -29);
    const days: string[] = [];
    for (let d = fromDay; toIsoDate(d) <= toIsoDate(toDay); d = addDays(d, 1)) {
      days.push(toIsoDate(d));
      if (days.length > 366) throw new BadRequest('the period may span at most 366 days');
    }
    if (days.length === 0) throw new BadRequest('from must not be after to');
    const range = { from: rigaMidnight(fromDay), to: rigaMidnight(addDays(toDay, 1)) };
    const [digests, ratings] = await Promise.all([queries.digestsIn(range.from, range.to), stores.ratings.list({ from: range.from, to: range.to })]);
    return dashboard(range, days, digests, ratings);
  };
  r.get('/dashboard.json', handle(async (req, res) => {
    res.json(await dashboardOf(req));
  }));
  r.get('/dashboard', handle(async (req, res) => {
    const c = ctx(res);
    const d = await dashboardOf(req);
    send(res, c, c.t('dashboard.heading'), dashboardPage(c, d));
  }));

  // ---- admin: audit, accounts, retention ----
  const auditQuery = (req: Request) => {
    const today = localNow(now()).date;
    const toDay = day(str(req.query.to)) ?? today;
    const fromDay = day(str(req.query.from)) ?? addDays(toDay, -29);
    const action = str(req.query.action);
    const filter = {
      from: rigaMidnight(fromDay), to: rigaMidnight(addDays(toDay, 1)),
      ...(str(req.query.actor) ? { actor: Accounts.normalizeName(str(req.query.actor)!) } : {}),
      ...(action && (AUDIT_ACTIONS as readonly string[]).includes(action) ? { action: action as AuditAction } : {}),
      ...(str(req.query.target) ? { target: str(req.query.target)!.trim() } : {}),
    };
    return { filter, form: { from: toIsoDate(fromDay), to: toIsoDate(toDay), actor: str(req.query.actor) ?? '', action: action ?? '', target: str(req.query.target) ?? '' } };
  };
  r.get('/audit', handle(async (req, res) => {
    const c = ctx(res);
    need(c, 'admin');
    const { filter, form } = auditQuery(req);
    const entries = await audit.query(filter);
    await audit.record({ actor: c.account!.name, action: 'view_audit', ip: c.ip, ...(filter.target ? { target: filter.target } : {}) });
    send(res, c, c.t('audit.heading'), auditPage(c, entries, form));
  }));
  r.get('/audit.csv', handle(async (req, res) => {
    const c = ctx(res);
    need(c, 'admin');
    const { filter } = auditQuery(req);
    const entries = await audit.query(filter);
    await audit.record({ actor: c.account!.name, action: 'export_audit', ip: c.ip, detail: `rows=${entries.length}` });
    res.set('content-disposition', 'attachment; filename="audit.csv"').type('text/csv; charset=utf-8')
      .send(`\ufeff${toCsv(entries as unknown as Array<Record<string, unknown>>, ['timestamp', 'actor', 'action', 'target', 'ip', 'detail'])}`);
  }));

  r.get('/accounts', handle(async (_req, res) => {
    const c = ctx(res);
    need(c, 'admin');
    send(res, c, c.t('accounts.heading'), accountsPage(c, await accounts.list(), {}));
  }));
  r.post('/accounts', handle(async (req, res) => {
    const c = ctx(res);
    need(c, 'admin');
    const name = Accounts.normalizeName(field(req, 'name'));
    const role = field(req, 'role');
    let outcome: { error?: string; created?: { name: string; password: string } } = {};
    try {
      const password = await accounts.add(name, role);
      await audit.record({ actor: c.account!.name, action: 'account_created', target: name, ip: c.ip, detail: `role ${role}` });
      outcome = { created: { name, password } };
    } catch (err) {
      if (!(err instanceof AccountError)) throw err;
      outcome = { error: c.t(err.code === 'exists' ? 'accounts.exists' : 'accounts.badName') };
    }
    send(res, c, c.t('accounts.heading'), accountsPage(c, await accounts.list(), outcome), outcome.error ? 400 : 200);
  }));
  r.post('/accounts/:name', handle(async (req, res) => {
    const c = ctx(res);
    need(c, 'admin');
    const name = Accounts.normalizeName(String(req.params.name));
    if (name === c.account!.name) throw new BadRequest(c.t('accounts.self'));
    const op = field(req, 'op');
    let created: { name: string; password: string } | undefined;
    try {
      if (op === 'role') {
        const role = field(req, 'role');
        if (!isRole(role)) throw new BadRequest('role');
        await accounts.setRole(name, role);
        await audit.record({ actor: c.account!.name, action: 'role_changed', target: name, ip: c.ip, detail: `role ${role}` });
      } else if (op === 'disable' || op === 'enable') {
        await accounts.setDisabled(name, op === 'disable');
        await audit.record({ actor: c.account!.name, action: op === 'disable' ? 'account_disabled' : 'account_enabled', target: name, ip: c.ip });
      } else if (op === 'totp') {
        await accounts.setTotp(name, undefined);
        await audit.record({ actor: c.account!.name, action: 'totp_removed', target: name, ip: c.ip });
      } else if (op === 'reset') {
        created = { name, password: await accounts.reset(name) };
        await audit.record({ actor: c.account!.name, action: 'account_reset', target: name, ip: c.ip });
      } else throw new BadRequest('op');
    } catch (err) {
      if (err instanceof AccountError) throw new BadRequest(err.code);
      throw err;
    }
    send(res, c, c.t('accounts.heading'), accountsPage(c, await accounts.list(), created ? { created } : { changed: true }));
  }));

  r.get('/retention', handle(async (_req, res) => {
    const c = ctx(res);
    need(c, 'admin');
    const cutoff = new Date(now().getTime() - options.retentionDays * 86_400_000);
    const count = await retentionDryRun(stores.transcripts, cutoff);
    send(res, c, c.t('retention.heading'), html`<h1>${c.t('retention.heading')}</h1>
      <p>${c.t('retention.transcripts', { days: options.retentionDays })}</p>
      <p id="dry-run">${c.t('retention.dryRun', { count, cutoff: rigaTime(cutoff.getTime()) })}</p>
      <p>${c.t('retention.audit')}</p>`);
  }));

  // ---- notices and facts (server/staffKnowledge.ts) ----
  if (options.knowledge) {
    registerKnowledgeRoutes(r, options.knowledge, {
      ctx, handle, field, csrf: (res) => csrf(ctx(res)),
      send: (res, title, body, status) => send(res, ctx(res), title, body, status),
      need: (res, role) => need(ctx(res), role),
      badRequest: (message) => new BadRequest(message),
      audit: (entry) => audit.record(entry),
    });
  }

  // ---- the queue of unanswered questions, teaching, training changes (server/staffTeach.ts) ----
  if (options.teach) {
    mountTeachRoutes<Ctx>(r, options.teach, {
      ctx, send, handle, need, csrf, masked, field, str,
      badRequest: (detail) => new BadRequest(detail),
      period: (req) => {
        const today = localNow(now()).date;
        const toDay = day(str(req.query.to)) ?? today;
        const fromDay = day(str(req.query.from)) ?? addDays(toDay, -29);
        return { from: rigaMidnight(fromDay), to: rigaMidnight(addDays(toDay, 1)), fromDay: toIsoDate(fromDay), toDay: toIsoDate(toDay) };
      },
    });
  }

  r.use((req: Request, res: Response) => {
    const c = ctx(res);
    if (wantsJson(req)) {
      res.status(404).json({ error: 'Not found' });
      return;
    }
    send(res, c, c.t('errors.notFound'), html`<h1>${c.t('errors.notFound')}</h1>`, 404);
  });

  // ---- rendering ----
  function renderSignin(req: Request, res: Response, o: { error?: string; info?: string; name?: string }, status = 200): void {
    const c = ctx(res);
    const token = randomBytes(24).toString('base64url');
    setCookie(req, res, SIGNIN_COOKIE, token, { maxAge: 3600 });
    const next = safeBack(field(req, 'next') || str(req.query.next));
    send(res, c, c.t('signin.heading'), html`
      <h1>${c.t('signin.heading')}</h1>
      ${o.error ? html`<p class="error" role="alert" id="signin-error">${o.error}</p>` : ''}
      ${o.info ? html`<p class="notice" role="status">${o.info}</p>` : ''}
      ${options.oidc ? html`<p><a class="button" id="sso" href="/staff/oidc/start?next=${encodeURIComponent(next)}">${c.t('signin.sso')}</a></p><p>${c.t('signin.or')}</p>` : ''}
      <form method="post" action="/staff/signin" class="stack">
        <input type="hidden" name="_csrf" value="${token}">
        <input type="hidden" name="next" value="${next}">
        <label for="name">${c.t('signin.name')}</label>
        <input id="name" name="name" autocomplete="username" required value="${o.name ?? ''}">
        <label for="password">${c.t('signin.password')}</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required>
        <button type="submit">${c.t('signin.submit')}</button>
      </form>`, status, false);
  }

  function renderPassword(res: Response, o: { error?: string }, status = 200): void {
    const c = ctx(res);
    send(res, c, c.t('password.heading'), html`
      <h1>${c.t('password.heading')}</h1>
      ${c.account!.mustChangePassword ? html`<p class="notice">${c.t('password.mustChange')}</p>` : ''}
      ${o.error ? html`<p class="error" role="alert">${o.error}</p>` : ''}
      <form method="post" action="/staff/password" class="stack">
        ${csrf(c)}
        <label for="current">${c.t('password.current')}</label>
        <input id="current" name="current" type="password" autocomplete="current-password" required>
        <label for="new">${c.t('password.new', { min: MIN_PASSWORD_LENGTH })}</label>
        <input id="new" name="new" type="password" autocomplete="new-password" minlength="${MIN_PASSWORD_LENGTH}" required>
        <label for="repeat">${c.t('password.repeat')}</label>
        <input id="repeat" name="repeat" type="password" autocomplete="new-password" minlength="${MIN_PASSWORD_LENGTH}" required>
        <button type="submit">${c.t('password.submit')}</button>
      </form>`, status);
  }

  function renderTotpSignin(res: Response, o: { error?: string }, status = 200): void {
    const c = ctx(res);
    send(res, c, c.t('totp.signinHeading'), html`
      <h1>${c.t('totp.signinHeading')}</h1>
      ${o.error ? html`<p class="error" role="alert" id="totp-error">${o.error}</p>` : ''}
      <p>${c.t('totp.signinExplain')}</p>
      <form method="post" action="/staff/signin/totp" class="stack">${csrf(c)}
        <label for="code">${c.t('totp.code')}</label>
        <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]{6,7}" required>
        <button type="submit">${c.t('totp.submit')}</button>
      </form>`, status, false);
  }

  function renderTotp(res: Response, o: { candidate?: string; error?: string }, status = 200): void {
    const c = ctx(res);
    const account = c.account!;
    const q = res.req.query;
    const body = account.totpSecret
      ? html`${str(q.done) ? html`<p class="notice" role="status">${c.t('totp.enrolled')}</p>` : html`<p>${c.t('totp.enrolled')}</p>`}
        ${o.error ? html`<p class="error" role="alert">${o.error}</p>` : ''}
        <h2>${c.t('totp.remove')}</h2><p>${c.t('totp.removeExplain')}</p>
        <form method="post" action="/staff/totp/remove" class="stack">${csrf(c)}
          <label for="code">${c.t('totp.code')}</label><input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required>
          <button type="submit">${c.t('totp.remove')}</button></form>`
      : html`${str(q.removed) ? html`<p class="notice" role="status">${c.t('totp.removed')}</p>` : ''}
        ${options.requireTotp && account.role === 'admin' ? html`<p class="notice">${c.t('totp.required')}</p>` : ''}
        ${o.error ? html`<p class="error" role="alert">${o.error}</p>` : ''}
        <p>${c.t('totp.explain')}</p>
        <dl class="facts"><dt>${c.t('totp.key')}</dt><dd><code id="totp-key">${groupedSecret(o.candidate ?? '')}</code></dd>
          <dt>${c.t('totp.uri')}</dt><dd><code>${totpUri(account.name, o.candidate ?? '')}</code></dd></dl>
        <form method="post" action="/staff/totp" class="stack">${csrf(c)}
          <label for="code">${c.t('totp.code')}</label><input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required>
          <button type="submit">${c.t('totp.submit')}</button></form>`;
    send(res, c, c.t('totp.heading'), html`<h1>${c.t('totp.heading')}</h1>${body}`, status);
  }

  function send(res: Response, c: Ctx, title: string, body: SafeHtml, status = 200, nav = true): void {
    const role = c.account?.role;
    const back = encodeURIComponent(res.req.originalUrl);
    const menu = nav && role ? html`
      <nav aria-label="${c.t('app.nav')}" class="menu"><ul>
        <li><a href="/staff/conversations">${c.t('app.conversations')}</a></li>
        <li><a href="/staff/dashboard">${c.t('app.dashboard')}</a></li>
        ${options.knowledge ? html`<li><a href="/staff/notices">${c.t('app.notices')}</a></li><li><a href="/staff/facts">${c.t('app.facts')}</a></li>` : ''}
        ${options.teach ? html`<li><a href="/staff/queue">${c.t('teach.navQueue')}</a></li><li><a href="/staff/changes">${c.t('teach.navChanges')}</a></li>` : ''}
        ${hasRole(role, 'admin') ? html`<li><a href="/staff/audit">${c.t('app.audit')}</a></li>
        <li><a href="/staff/accounts">${c.t('app.accounts')}</a></li>
        <li><a href="/staff/retention">${c.t('app.retention')}</a></li>` : ''}
        <li><a href="/staff/password">${c.t('app.password')}</a></li>
        <li><a href="/staff/totp">${c.t('app.totp')}</a></li>
      </ul></nav>
      <p class="who">${c.t('app.signedInAs', { name: c.account!.name, role: c.t(`roles.${role}`) })}</p>
      <form method="post" action="/staff/signout" class="inline">${csrf(c)}<button type="submit">${c.t('app.signout')}</button></form>` : '';
    res.status(status).type('html').send(`<!doctype html>${html`<html lang="${c.lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · ${c.t('app.title')}</title><link rel="stylesheet" href="/staff/static/staff.css"></head>
<body><a class="skip" href="#main">${c.t('app.skip')}</a>
<header><p class="brand">${c.t('app.title')}</p>${menu}
<a class="lang" lang="${c.lang === 'lv' ? 'en' : 'lv'}" aria-label="${c.t('app.switchLanguageLabel')}" href="/staff/lang?to=${c.lang === 'lv' ? 'en' : 'lv'}&amp;back=${back}">${c.t('app.switchLanguage')}</a></header>
<main id="main" tabindex="-1">${body}</main></body></html>`.value}`);
  }

  function handle(fn: (req: Request, res: Response, next?: NextFunction) => Promise<void>) {
    return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
      try {
        await fn(req, res, next);
      } catch (err) {
        const c = ctx(res);
        if (res.headersSent) return;
        if (err instanceof Forbidden) {
          const text = c.t(err.message === 'csrf' ? 'errors.csrf' : 'errors.forbidden');
          if (wantsJson(req)) res.status(403).json({ error: text });
          else send(res, c, text, html`<h1>${text}</h1>`, 403);
          return;
        }
        if (err instanceof BadRequest) {
          send(res, c, c.t('errors.badRequest', { detail: err.message }), html`<h1>${c.t('errors.badRequest', { detail: err.message })}</h1>`, 400);
          return;
        }
        const name = err instanceof Error ? err.name : typeof err;
        if (isStorageUnavailable(err)) logger.warn('staff console: storage unavailable', { error: name });
        else logger.error('staff console: failed', { error: name, detail: err instanceof Error ? err.message.slice(0, 200) : '' });
        send(res, c, c.t('errors.unavailable'), html`<h1>${c.t('errors.unavailable')}</h1>`, 503, false);
      }
    };
  }

  const router = express.Router();
  router.use('/staff', r);
  return {
    router,
    close: () => {
      clearInterval(pruneTimer);
      clearTimeout(warmTimer);
      clearTimeout(sweepTimer);
    },
  };
}

// ---------- pages ----------

function csrf(c: Ctx): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${c.session?.csrf ?? ''}">`;
}

function filterForm(c: Ctx, f: ConversationFilter & { fromDay?: string; toDay?: string }): SafeHtml {
  const check = (name: string, on: boolean | undefined, label: string) =>
    html`<div class="check"><input type="checkbox" id="f-${name}" name="${name}" value="1" ${on ? html`checked` : ''}><label for="f-${name}">${label}</label></div>`;
  const select = (name: string, value: string | undefined, options: Array<[string, string]>, label: string) => html`
    <div><label for="f-${name}">${label}</label><select id="f-${name}" name="${name}">
      <option value="">${c.t('list.any')}</option>
      ${options.map(([v, l]) => html`<option value="${v}" ${value === v ? html`selected` : ''}>${l}</option>`)}
    </select></div>`;
  return html`<form method="get" action="/staff/conversations" class="filters" role="search" aria-label="${c.t('list.filters')}">
    <fieldset><legend>${c.t('list.filters')}</legend>
    <div><label for="f-from">${c.t('list.from')}</label><input type="date" id="f-from" name="from" value="${f.fromDay ?? ''}"></div>
    <div><label for="f-to">${c.t('list.to')}</label><input type="date" id="f-to" name="to" value="${f.toDay ?? ''}"></div>
    ${select('channel', f.channel, ['webchat', 'directline', 'msteams', 'telegram', 'emulator'].map((ch) => [ch, ch]), c.t('list.channel'))}
    ${select('language', f.language, [['lv', c.t('languages.lv')], ['en', c.t('languages.en')]], c.t('list.language'))}
    <div><label for="f-intent">${c.t('list.intent')}</label><input id="f-intent" name="intent" value="${f.intent ?? ''}"></div>
    ${select('outcome', f.outcome, LIST_OUTCOMES.map((o) => [o, c.t(`outcomes.${o}`)]), c.t('list.outcome'))}
    <div><label for="f-tag">${c.t('list.tag')}</label><input id="f-tag" name="tag" value="${f.tag ?? ''}"></div>
    <div class="wide"><label for="f-q">${c.t('list.q')}</label><input type="search" id="f-q" name="q" value="${f.q ?? ''}" aria-describedby="f-q-hint"><small id="f-q-hint">${c.t('list.qHint')}</small></div>
    ${check('thumbsDown', f.thumbsDown, c.t('list.thumbsDown'))}
    ${check('lowCsat', f.lowCsat, c.t('list.lowCsat'))}
    ${check('hasComment', f.hasComment, c.t('list.hasComment'))}
    ${check('notReviewed', f.notReviewed, c.t('list.notReviewed'))}
    <div><button type="submit">${c.t('list.apply')}</button></div>
    </fieldset></form>`;
}

function conversationTable(c: Ctx, rows: ConversationRow[]): SafeHtml {
  return html`<table class="list"><caption class="sr-only">${c.t('list.heading')}</caption><thead><tr>
    <th scope="col">${c.t('list.start')}</th><th scope="col">${c.t('list.channel')}</th><th scope="col">${c.t('list.language')}</th>
    <th scope="col">${c.t('list.turns')}</th><th scope="col">${c.t('list.firstQuestion')}</th><th scope="col">${c.t('list.outcome')}</th>
    <th scope="col">${c.t('list.ratings')}</th><th scope="col">${c.t('list.reviewed')}</th><th scope="col">${c.t('list.tags')}</th>
  </tr></thead><tbody>
  ${rows.map((r) => html`<tr>
    <td><a href="/staff/conversations/${encodeURIComponent(r.conversationId)}" aria-label="${c.t('list.open')}: ${rigaTime(r.firstTimestamp)}">${rigaTime(r.firstTimestamp)}</a></td>
    <td>${r.channelId}</td>
    <td>${r.languages.map((l) => c.t(`languages.${l}`)).join(', ')}</td>
    <td>${r.userMessages}</td>
    <td class="question">${masked(c, truncate(r.firstQuestion, 140))}</td>
    <td>${r.outcomes.map((o) => c.t(`outcomes.${o}`)).join(', ')}</td>
    <td>${r.up ? `👍 ${r.up} ` : ''}${r.down ? `👎 ${r.down} ` : ''}${r.csat !== undefined ? `CSAT ${r.csat}` : ''}${r.comments ? ' 💬' : ''}</td>
    <td>${r.reviewed ? c.t('list.yes') : c.t('list.no')}</td>
    <td>${r.tags.join(', ')}</td>
  </tr>`)}
  </tbody></table>`;
}

function exportForm(c: Ctx, params: URLSearchParams): SafeHtml {
  return html`<section aria-labelledby="export-h"><h2 id="export-h">${c.t('export.heading')}</h2>
  <form method="post" action="/staff/export" class="stack">
    ${csrf(c)}
    ${[...params].filter(([k]) => k !== 'page').map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`)}
    <fieldset><legend>${c.t('export.format')}</legend>
      <div class="check"><input type="radio" id="x-csv" name="format" value="csv" checked><label for="x-csv">CSV</label></div>
      <div class="check"><input type="radio" id="x-json" name="format" value="json"><label for="x-json">JSON</label></div>
    </fieldset>
    <fieldset><legend>${c.t('export.shape')}</legend>
      <div class="check"><input type="radio" id="x-conv" name="shape" value="conversations" checked><label for="x-conv">${c.t('export.conversations')}</label></div>
      <div class="check"><input type="radio" id="x-turns" name="shape" value="turns"><label for="x-turns">${c.t('export.turns')}</label></div>
    </fieldset>
    <label for="x-reason">${c.t('export.reason')}</label>
    <input id="x-reason" name="reason" required minlength="5" maxlength="500">
    <button type="submit">${c.t('export.submit')}</button>
  </form></section>`;
}

const MASKS: Record<string, string> = { PERSONAL_CODE: 'personalCode', PHONE: 'phone', EMAIL: 'email', IBAN: 'iban', CARD: 'card' };

/** Redacted text with each placeholder shown as a marked, named mask. */
function masked(c: Ctx, text: string): SafeHtml {
  const parts = text.split(/\[(PERSONAL_CODE|PHONE|EMAIL|IBAN|CARD)\]/);
  return html`${parts.map((p, i) => (i % 2 === 1 ? html`<mark class="masked" data-mask="${MASKS[p]!}">[${c.t(`masked.${MASKS[p]!}`)}]</mark>` : p))}`;
}

function conversationPage(c: Ctx, id: string, records: TranscriptRecord[], ratings: Rating[], review: Review | undefined, done: string | undefined): SafeHtml {
  const helpful = new Map<string, Rating[]>();
  for (const r of ratings) if (r.kind === 'helpful' && r.activityId) helpful.set(r.activityId, [...(helpful.get(r.activityId) ?? []), r]);
  const csat = ratings.find((r) => r.kind === 'csat');
  const canReview = hasRole(c.account!.role, 'reviewer');
  const ratingLine = (r: Rating) => html`<li>${r.kind === 'helpful' ? c.t(r.value === 1 ? 'conversation.helpfulUp' : 'conversation.helpfulDown') : c.t('conversation.csat', { value: r.value })}
    ${r.comment ? html` · ${c.t('conversation.comment')}: <q>${masked(c, r.comment)}</q>` : ''}</li>`;
  const turns = records.map((r) => {
    const attachments = r.attachments as { buttons?: unknown; cards?: unknown } | undefined;
    const buttons = r.from === 'bot' && Array.isArray(attachments?.buttons) ? (attachments!.buttons as unknown[]).map(String) : [];
    const cards = r.from === 'bot' && Array.isArray(attachments?.cards) ? (attachments!.cards as unknown[]).map(String) : [];
    const rated = r.activityId ? helpful.get(r.activityId) ?? [] : [];
    return html`<li class="turn ${r.from}">
      <p class="speaker"><strong>${c.t(r.from === 'user' ? 'conversation.user' : 'conversation.bot')}</strong> <time datetime="${r.timestamp}">${rigaTime(r.timestamp)}</time></p>
      <p class="text">${r.text ? masked(c, r.text) : c.t('conversation.noText')}</p>
      <dl class="meta">
        ${r.intent ? html`<dt>${c.t('conversation.intent')}</dt><dd class="intent">${r.intent}</dd>` : ''}
        ${r.score !== undefined ? html`<dt>${c.t('conversation.score')}</dt><dd class="score">${r.score.toFixed(3)}</dd>` : ''}
        ${r.runnerUp ? html`<dt>${c.t('conversation.runnerUp')}</dt><dd>${r.runnerUp.intent} (${r.runnerUp.score.toFixed(3)})</dd>` : ''}
        ${r.outcome ? html`<dt>${c.t('conversation.outcome')}</dt><dd>${c.t(`outcomes.${r.outcome}`)}</dd>` : ''}
        ${cards.length ? html`<dt>${c.t('conversation.card')}</dt><dd>${cards.join(', ')}</dd>` : ''}
        ${buttons.length ? html`<dt>${c.t('conversation.buttons')}</dt><dd><ul class="buttons">${buttons.map((b) => html`<li>${masked(c, b)}</li>`)}</ul></dd>` : ''}
        ${r.provenance ? html`<dt>${c.t('conversation.provenance')}</dt><dd class="provenance">
          ${c.t('conversation.topic')}: <code>${r.provenance.topic}</code>;
          ${c.t('conversation.facts')}: ${r.provenance.facts.map((f, i) => html`${i ? ', ' : ''}<code>${f}</code>`)};
          ${c.t('conversation.sections')}: ${r.provenance.sections.join(', ')}</dd>` : ''}
      </dl>
      ${rated.length ? html`<ul class="ratings">${rated.map(ratingLine)}</ul>` : ''}
    </li>`;
  });
  const reviewForm = canReview ? html`<form method="post" action="/staff/conversations/${encodeURIComponent(id)}/review" class="stack">
      ${csrf(c)}
      <div class="check"><input type="checkbox" id="r-reviewed" name="reviewed" ${review?.reviewed ? html`checked` : ''}><label for="r-reviewed">${c.t('review.reviewed')}</label></div>
      <label for="r-verdict">${c.t('review.verdict')}</label>
      <select id="r-verdict" name="verdict"><option value="">${c.t('review.verdictNone')}</option>
        ${VERDICTS.map((v) => html`<option value="${v}" ${review?.verdict === v ? html`selected` : ''}>${c.t(`review.${v}`)}</option>`)}</select>
      <label for="r-tags">${c.t('review.tags')}</label><input id="r-tags" name="tags" value="${review?.tags.join(', ') ?? ''}">
      <label for="r-note">${c.t('review.note')}</label><textarea id="r-note" name="note" rows="3">${review?.note ?? ''}</textarea>
      <button type="submit">${c.t('review.submit')}</button>
    </form>` : html`<p>${c.t('review.reviewed')}: ${review?.reviewed ? c.t('list.yes') : c.t('list.no')}${review?.verdict ? ` · ${c.t(`review.${review.verdict}`)}` : ''}${review?.tags.length ? ` · ${review.tags.join(', ')}` : ''}</p>${review?.note ? html`<p>${review.note}</p>` : ''}`;
  return html`<p><a href="/staff/conversations">${c.t('conversation.back')}</a></p>
    <h1>${c.t('conversation.heading')}</h1>
    ${done === 'saved' ? html`<p class="notice" role="status">${c.t('review.saved')}</p>` : ''}
    ${done === 'notConfirmed' ? html`<p class="error" role="alert">${c.t('erase.notConfirmed')}</p>` : ''}
    <dl class="facts"><dt>${c.t('conversation.id')}</dt><dd><code>${id}</code></dd>
      <dt>${c.t('conversation.channel')}</dt><dd>${records[0]!.channelId}</dd>
      <dt>${c.t('conversation.started')}</dt><dd>${rigaTime(records[0]!.timestamp)}</dd></dl>
    <section aria-labelledby="ratings-h"><h2 id="ratings-h">${c.t('conversation.ratingsHeading')}</h2>
      ${ratings.length ? html`<ul>${[...(csat ? [csat] : []), ...ratings.filter((x) => x.kind === 'helpful')].map(ratingLine)}</ul>` : html`<p>${c.t('conversation.noRatings')}</p>`}</section>
    <section aria-labelledby="turns-h"><h2 id="turns-h">${c.t('conversation.turnsHeading')}</h2><ol class="turns">${turns}</ol></section>
    <section aria-labelledby="review-h"><h2 id="review-h">${c.t('review.heading')}</h2>
      ${review ? html`<p class="small">${c.t('review.lastBy', { name: review.updatedBy, time: rigaTime(review.updatedAt) })}</p>` : ''}
      ${reviewForm}</section>
    ${hasRole(c.account!.role, 'admin') ? html`<section aria-labelledby="erase-h"><h2 id="erase-h">${c.t('erase.heading')}</h2>
      <p>${c.t('erase.explain')}</p>
      <form method="post" action="/staff/conversations/${encodeURIComponent(id)}/erase" class="stack">${csrf(c)}
        <div class="check"><input type="checkbox" id="e-confirm" name="confirm"><label for="e-confirm">${c.t('erase.confirm')}</label></div>
        <button type="submit" class="danger">${c.t('erase.submit')}</button></form></section>` : ''}`;
}

function pct(rate: number | null, none: string): string {
  return rate === null ? none : `${Math.round(rate * 100)} %`;
}

function dashboardPage(c: Ctx, d: Dashboard): SafeHtml {
  const none = c.t('dashboard.none');
  const f = d.feedback;
  const fromDay = d.conversations.perDay[0]?.day ?? '';
  const toDay = d.conversations.perDay[d.conversations.perDay.length - 1]?.day ?? '';
  const table = (caption: string, head: string[], rows: Array<Array<string | number | SafeHtml>>) => html`<table><caption>${caption}</caption>
    <thead><tr>${head.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>
    <tbody>${rows.length ? rows.map((r) => html`<tr>${r.map((cell, i) => (i === 0 ? html`<th scope="row">${cell}</th>` : html`<td>${cell}</td>`))}</tr>`) : html`<tr><td colspan="${head.length}">${none}</td></tr>`}</tbody></table>`;
  return html`<h1>${c.t('dashboard.heading')}</h1>
  <form method="get" action="/staff/dashboard" class="filters"><fieldset><legend>${c.t('dashboard.period')}</legend>
    <div><label for="d-from">${c.t('list.from')}</label><input type="date" id="d-from" name="from" value="${fromDay}"></div>
    <div><label for="d-to">${c.t('list.to')}</label><input type="date" id="d-to" name="to" value="${toDay}"></div>
    <div><button type="submit">${c.t('dashboard.show')}</button></div></fieldset></form>
  <dl class="kpis">
    <div><dt>${c.t('dashboard.conversations')}</dt><dd id="kpi-conversations">${d.conversations.total}</dd></div>
    <div><dt>${c.t('dashboard.questions')}</dt><dd>${d.turns.questions}</dd></div>
    <div><dt>${c.t('dashboard.answeredRate')}</dt><dd>${pct(d.turns.answeredRate, none)}</dd></div>
    <div><dt>${c.t('dashboard.fallbackRate')}</dt><dd>${pct(d.turns.fallbackRate, none)}</dd></div>
    <div><dt>${c.t('dashboard.clarificationRate')}</dt><dd>${pct(d.turns.clarificationRate, none)}</dd></div>
    <div><dt>${c.t('dashboard.csatAverage')}</dt><dd id="kpi-csat">${f.csat.average ?? none}</dd></div>
    <div><dt>${c.t('dashboard.csatCount')}</dt><dd id="kpi-csat-count">${f.csat.count}</dd></div>
    <div><dt>${c.t('dashboard.helpfulRate')}</dt><dd id="kpi-helpful">${pct(f.helpful.rate, none)} (👍 ${f.helpful.up} / 👎 ${f.helpful.down})</dd></div>
  </dl>
  <p>${c.t('dashboard.guides', { started: d.turns.guidesStarted, finished: d.turns.guidesFinished })}</p>
  <section aria-labelledby="perday-h"><h2 id="perday-h">${c.t('dashboard.perDay')}</h2>
    <p class="small">${c.t('dashboard.chartNote')}</p>
    ${barChart(d.conversations.perDay.map((p) => ({ label: p.day, value: p.count })))}
    ${table(c.t('dashboard.perDay'), [c.t('dashboard.day'), c.t('dashboard.count')], d.conversations.perDay.map((p) => [p.day, p.count]))}</section>
  <section aria-labelledby="csat-h"><h2 id="csat-h">${c.t('dashboard.csatDistribution')}</h2>
    ${barChart(([1, 2, 3, 4, 5] as const).map((k) => ({ label: String(k), value: f.csat.distribution[k] })))}
    ${table(c.t('dashboard.csatDistribution'), [c.t('dashboard.score'), c.t('dashboard.count')], ([1, 2, 3, 4, 5] as const).map((k) => [k, f.csat.distribution[k]]))}
    ${barChart(d.csatPerDay.map((p) => ({ label: p.day, value: p.average ?? 0 })), 5)}
    ${table(c.t('dashboard.csatPerDay'), [c.t('dashboard.day'), c.t('dashboard.count'), c.t('dashboard.average')], d.csatPerDay.filter((p) => p.count).map((p) => [p.day, p.count, p.average ?? none]))}</section>
  <section aria-labelledby="topic-h"><h2 id="topic-h">${c.t('dashboard.byTopic')}</h2>
    ${table(c.t('dashboard.byTopic'), [c.t('dashboard.topic'), c.t('dashboard.language'), c.t('dashboard.up'), c.t('dashboard.down'), c.t('dashboard.rate')],
      f.helpful.byTopic.map((t) => [t.intent ?? c.t('dashboard.noIntent'), c.t(`languages.${t.language}`), t.up, t.down, pct(t.rate, none)]))}</section>
  <section aria-labelledby="intents-h"><h2 id="intents-h">${c.t('dashboard.topIntents')}</h2>
    ${table(c.t('dashboard.topIntents'), [c.t('dashboard.intent'), c.t('dashboard.turns')], d.topIntents.map((i) => [i.intent, i.turns]))}</section>
  <section aria-labelledby="down-h"><h2 id="down-h">${c.t('dashboard.mostThumbsDown')}</h2>
    ${table(c.t('dashboard.mostThumbsDown'), [c.t('dashboard.topic'), c.t('dashboard.down'), c.t('dashboard.rate')], f.mostThumbsDown.map((t) => [t.intent ?? c.t('dashboard.noIntent'), t.down, pct(t.rate, none)]))}</section>
  <section aria-labelledby="comments-h"><h2 id="comments-h">${c.t('dashboard.comments')}</h2>
    ${table(c.t('dashboard.comments'), [c.t('dashboard.time'), c.t('dashboard.score'), c.t('dashboard.comment'), c.t('dashboard.conversation')],
      f.comments.slice(0, 20).map((m) => [rigaTime(m.timestamp), m.kind === 'csat' ? `CSAT ${m.value}` : m.value === 1 ? '👍' : '👎', masked(c, m.comment),
        html`<a href="/staff/conversations/${encodeURIComponent(m.conversationId)}">${c.t('list.open')}</a>`]))}</section>`;
}

function auditPage(c: Ctx, entries: AuditEntry[], form: { from: string; to: string; actor: string; action: string; target: string }): SafeHtml {
  const shown = entries.slice(0, AUDIT_PAGE_LIMIT);
  const params = new URLSearchParams(Object.entries(form).filter(([, v]) => v));
  return html`<h1>${c.t('audit.heading')}</h1><p>${c.t('audit.explain')}</p>
  <form method="get" action="/staff/audit" class="filters"><fieldset><legend>${c.t('list.filters')}</legend>
    <div><label for="a-from">${c.t('audit.from')}</label><input type="date" id="a-from" name="from" value="${form.from}"></div>
    <div><label for="a-to">${c.t('audit.to')}</label><input type="date" id="a-to" name="to" value="${form.to}"></div>
    <div><label for="a-actor">${c.t('audit.actor')}</label><input id="a-actor" name="actor" value="${form.actor}"></div>
    <div><label for="a-action">${c.t('audit.action')}</label><select id="a-action" name="action"><option value="">${c.t('list.any')}</option>
      ${AUDIT_ACTIONS.map((a) => html`<option value="${a}" ${form.action === a ? html`selected` : ''}>${c.t(`audit.actions.${a}`)}</option>`)}</select></div>
    <div class="wide"><label for="a-target">${c.t('audit.target')}</label><input id="a-target" name="target" value="${form.target}"></div>
    <div><button type="submit">${c.t('audit.apply')}</button></div></fieldset></form>
  <p><a href="/staff/audit.csv?${params.toString()}">${c.t('audit.csv')}</a></p>
  <p role="status">${c.t('audit.found', { total: entries.length })}</p>
  ${shown.length ? html`<table class="list" id="audit"><caption class="sr-only">${c.t('audit.heading')}</caption><thead><tr>
    <th scope="col">${c.t('audit.time')}</th><th scope="col">${c.t('audit.actor')}</th><th scope="col">${c.t('audit.action')}</th>
    <th scope="col">${c.t('audit.target')}</th><th scope="col">${c.t('audit.ip')}</th><th scope="col">${c.t('audit.detail')}</th></tr></thead>
    <tbody>${shown.map((e) => html`<tr data-action="${e.action}"><td>${rigaTime(e.timestamp)}</td><td>${e.actor}</td><td>${c.t(`audit.actions.${e.action}`)}</td>
      <td>${e.target ? html`<code>${e.target}</code>` : ''}</td><td>${e.ip}</td><td>${e.detail ?? ''}</td></tr>`)}</tbody></table>` : html`<p>${c.t('audit.empty')}</p>`}`;
}

function accountsPage(c: Ctx, list: PublicAccount[], o: { error?: string; created?: { name: string; password: string }; changed?: boolean }): SafeHtml {
  const roleOptions = (selected: Role) => ROLES.map((r) => html`<option value="${r}" ${r === selected ? html`selected` : ''}>${c.t(`roles.${r}`)}</option>`);
  return html`<h1>${c.t('accounts.heading')}</h1>
  ${o.error ? html`<p class="error" role="alert">${o.error}</p>` : ''}
  ${o.changed ? html`<p class="notice" role="status">${c.t('accounts.changed')}</p>` : ''}
  ${o.created ? html`<div class="notice" role="status"><p>${c.t('accounts.created', { name: o.created.name })}</p>
    <p>${c.t('accounts.oneTimePassword')}: <code id="one-time-password">${o.created.password}</code></p></div>` : ''}
  <section aria-labelledby="new-h"><h2 id="new-h">${c.t('accounts.create')}</h2>
  <form method="post" action="/staff/accounts" class="stack">${csrf(c)}
    <label for="n-name">${c.t('accounts.name')}</label><input id="n-name" name="name" required autocomplete="off">
    <label for="n-role">${c.t('accounts.role')}</label><select id="n-role" name="role">${roleOptions('viewer')}</select>
    <button type="submit">${c.t('accounts.submit')}</button></form></section>
  <table class="list"><caption>${c.t('accounts.heading')}</caption><thead><tr><th scope="col">${c.t('accounts.name')}</th><th scope="col">${c.t('accounts.role')}</th>
    <th scope="col">${c.t('accounts.state')}</th><th scope="col">${c.t('accounts.actions')}</th></tr></thead><tbody>
    ${list.map((a) => html`<tr><th scope="row">${a.name}</th><td>${c.t(`roles.${a.role}`)}</td>
      <td>${c.t(a.disabled ? 'accounts.disabled' : 'accounts.active')}${a.mustChangePassword ? html`, ${c.t('accounts.mustChange')}` : ''}${a.totp ? html`, ${c.t('accounts.totp')}` : ''}</td>
      <td>${a.name === c.account!.name ? '' : html`
        <form method="post" action="/staff/accounts/${encodeURIComponent(a.name)}" class="inline">${csrf(c)}<input type="hidden" name="op" value="role">
          <label for="role-${a.name}" class="sr-only">${c.t('accounts.role')}: ${a.name}</label><select id="role-${a.name}" name="role">${roleOptions(a.role)}</select>
          <button type="submit">${c.t('accounts.setRole')}</button></form>
        <form method="post" action="/staff/accounts/${encodeURIComponent(a.name)}" class="inline">${csrf(c)}<input type="hidden" name="op" value="reset"><button type="submit">${c.t('accounts.reset')}</button></form>
        ${a.totp ? html`<form method="post" action="/staff/accounts/${encodeURIComponent(a.name)}" class="inline">${csrf(c)}<input type="hidden" name="op" value="totp"><button type="submit">${c.t('accounts.totpReset')}</button></form>` : ''}
        <form method="post" action="/staff/accounts/${encodeURIComponent(a.name)}" class="inline">${csrf(c)}<input type="hidden" name="op" value="${a.disabled ? 'enable' : 'disable'}"><button type="submit">${c.t(a.disabled ? 'accounts.enable' : 'accounts.disable')}</button></form>`}</td></tr>`)}
  </tbody></table>`;
}

// ---------- request helpers ----------

function ctx(res: Response): Ctx {
  return res.locals.ctx as Ctx;
}

function need(c: Ctx, role: Role): void {
  if (!hasRole(c.account!.role, role)) throw new Forbidden();
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length <= 500 ? value : undefined;
}

function field(req: Request, name: string): string {
  const body = req.body as Record<string, unknown> | undefined;
  return str(body?.[name]) ?? '';
}

function convId(req: Request): string {
  const id = req.params.id;
  if (typeof id !== 'string' || id === '' || id.length > 512) throw new BadRequest('conversation id');
  return id;
}

function day(value: string | undefined): LocalDate | undefined {
  if (!value) return undefined;
  try {
    return parseIsoDate(value);
  } catch {
    throw new BadRequest('dates are YYYY-MM-DD');
  }
}

/** Filters from a query string or a form body; `params` is the normalized set, for links and exports. */
function parseFilter(src: Record<string, unknown>): { filter: ConversationFilter & { fromDay?: string; toDay?: string }; params: URLSearchParams } {
  const params = new URLSearchParams();
  const filter: ConversationFilter & { fromDay?: string; toDay?: string } = {};
  const get = (k: string) => {
    const v = str(src[k])?.trim();
    if (v) params.set(k, v);
    return v || undefined;
  };
  const from = day(get('from'));
  const to = day(get('to'));
  if (from) {
    filter.from = rigaMidnight(from);
    filter.fromDay = toIsoDate(from);
  }
  if (to) {
    filter.to = rigaMidnight(addDays(to, 1));
    filter.toDay = toIsoDate(to);
  }
  const channel = get('channel');
  if (channel) filter.channel = channel;
  const language = get('language');
  if (language === 'lv' || language === 'en') filter.language = language;
  const intent = get('intent');
  if (intent) filter.intent = intent;
  const outcome = get('outcome');
  if (outcome && (LIST_OUTCOMES as readonly string[]).includes(outcome)) filter.outcome = outcome as ListOutcome;
  const tag = get('tag');
  if (tag) filter.tag = tag;
  const q = get('q');
  if (q) filter.q = q;
  for (const flag of ['thumbsDown', 'lowCsat', 'hasComment', 'notReviewed'] as const) if (get(flag)) filter[flag] = true;
  params.delete('page');
  return { filter, params };
}

function withParam(params: URLSearchParams, key: string, value: string): string {
  const p = new URLSearchParams(params);
  p.set(key, value);
  return p.toString();
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function wantsJson(req: Request): boolean {
  return req.path.endsWith('.json') || req.path.endsWith('.csv') || (req.get('accept') ?? '').startsWith('application/json');
}

/** Only our own pages: no open redirect. */
function safeBack(value: string | undefined): string {
  return value && /^\/staff(\/[^\\]*)?$/.test(value) && !value.startsWith('//') ? value : '/staff/conversations';
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    const k = part.slice(0, i).trim();
    try {
      out[k] = decodeURIComponent(part.slice(i + 1).trim());
    } catch {
      // a malformed cookie is ignored
    }
  }
  return out;
}

/** This server's address as the browser sees it (behind a proxy: from its headers). */
function origin(req: Request, hops: number): string {
  const host = (hops > 0 ? req.get('x-forwarded-host')?.split(',')[0]?.trim() : undefined) ?? req.get('host') ?? 'localhost';
  return `${isHttps(req, hops) ? 'https' : 'http'}://${host}`;
}

function isHttps(req: Request, hops: number): boolean {
  if (req.protocol === 'https' || (req.socket as { encrypted?: boolean }).encrypted) return true;
  return hops > 0 && (req.get('x-forwarded-proto') ?? '').split(',')[0]!.trim() === 'https';
}

/** Secure unless the request is plain HTTP to this machine (a developer's or a test's localhost). */
function secureCookie(req: Request): boolean {
  const host = (req.hostname ?? '').replace(/^\[|\]$/g, '');
  const local = host === 'localhost' || host === '127.0.0.1' || host === '::1';
  return !local || isHttps(req, 0);
}

function setCookie(req: Request, res: Response, name: string, value: string, o: { maxAge?: number } = {}): void {
  res.append('set-cookie', [
    `${name}=${encodeURIComponent(value)}`, 'Path=/staff', 'HttpOnly', 'SameSite=Lax',
    ...(secureCookie(req) ? ['Secure'] : []), ...(o.maxAge ? [`Max-Age=${o.maxAge}`] : []),
  ].join('; '));
}

function clearCookie(req: Request, res: Response, name: string): void {
  res.append('set-cookie', `${name}=; Path=/staff; HttpOnly; SameSite=Lax; Max-Age=0${secureCookie(req) ? '; Secure' : ''}`);
}
