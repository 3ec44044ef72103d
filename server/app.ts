import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import helmet from 'helmet';
import type { Activity } from 'botbuilder';
import type { CentreAdapter } from './adapter';
import type { ActivityHandler } from 'botbuilder';
import { activityProblem, serviceUrlAllowed } from './activityCheck';
import type { Logger } from './logger';
import type { Metrics } from './metrics';

export interface AppDeps {
  adapter: CentreAdapter;
  bot: ActivityHandler;
  logger: Logger;
  /** False while a dependency the turns need (e.g. Redis) is down. */
  isReady?: () => boolean;
  /** Without an app id: the hosts replies may go to (others need deliveryMode expectReplies). Unset: authenticated. */
  anonymousServiceHosts?: readonly string[];
  /** Prometheus metrics at GET /metrics (with `metricsToken`: only with that bearer token). */
  metrics?: Metrics;
  metricsToken?: string;
  /** Limits requests to /api/messages (after the body is parsed). */
  messageLimiter?: RequestHandler;
  /** Reverse proxies in front (express's "trust proxy"), for the client address. */
  trustProxyHops?: number;
  /** Origins allowed to show the pages in a frame (CSP frame-ancestors); default: this origin only. */
  frameAncestors?: readonly string[];
  /** Origins the page may call besides its own (Azure's Direct Line when DIRECT_LINE_SECRET is set). */
  connectOrigins?: readonly string[];
  /** More routes (the local Direct Line, the chat page), mounted before the 404 handler. */
  routers?: express.Router[];
}

/** Routes only; listening is the caller's business, so tests use the app without a port. */
export function makeApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // no ETag on replies: nothing here is fetched again conditionally, and hashing every reply costs a turn
  app.disable('etag');
  if (deps.trustProxyHops) app.set('trust proxy', deps.trustProxyHops);
  app.use(securityHeaders(deps.frameAncestors ?? [], deps.connectOrigins ?? []));
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', (_req, res) => {
    const ready = deps.isReady ? deps.isReady() : true;
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable' });
  });
  if (deps.metrics) {
    const { metrics, metricsToken } = deps;
    app.get('/metrics', async (req, res) => {
      if (metricsToken && req.get('authorization') !== `Bearer ${metricsToken}`) {
        res.status(401).json({ error: 'unauthorized: send Authorization: Bearer <METRICS_TOKEN>' });
        return;
      }
      res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    });
  }
  const limit: RequestHandler = deps.messageLimiter ?? ((_req, _res, next) => next());
  app.post('/api/messages', express.json({ limit: '256kb' }), limit, async (req: Request, res: Response, next: NextFunction) => {
    const problem = activityProblem(req.body);
    if (problem) {
      res.status(400).json({ error: `Bad request: ${problem}.` });
      return;
    }
    const activity = req.body as Activity & Record<string, unknown>;
    const hosts = deps.anonymousServiceHosts;
    if (hosts && activity.deliveryMode !== 'expectReplies' && !serviceUrlAllowed(activity.serviceUrl, hosts)) {
      res.status(403).json({ error: 'Forbidden: this server has no app id, so it replies only with deliveryMode "expectReplies" or to an allowed serviceUrl.' });
      return;
    }
    // as botbuilder's own request handling does
    for (const field of ['timestamp', 'localTimestamp', 'expiration'] as const) {
      if (typeof activity[field] === 'string') activity[field] = new Date(activity[field] as string);
    }
    // botbuilder's process() prints errors to stderr and echoes their message (an upstream URL, a
    // DNS error) in a 500; here an error before the turn starts is a failed authentication: 401.
    let turnStarted = false;
    try {
      const invoke = await deps.adapter.handle(req.headers.authorization ?? '', activity, (context) => {
        turnStarted = true;
        return deps.bot.run(context);
      });
      res.status(invoke?.status ?? 200);
      if (invoke?.body !== undefined) res.json(invoke.body);
      else res.end();
    } catch (err) {
      if (turnStarted) return next(err);
      deps.logger.warn('request refused: not authenticated', { error: (err as Error).name, detail: (err as Error).message.slice(0, 120) });
      if (!res.headersSent) res.status(401).json({ error: 'Unauthorized' });
    }
  });
  for (const router of deps.routers ?? []) app.use(router);
  app.use((_req: Request, res: Response) => {
    res.status(404).json({ error: 'Not found' });
  });
  app.use((err: Error & { status?: number; type?: string }, _req: Request, res: Response, _next: NextFunction) => {
    const status = err.status && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status === 500) deps.logger.error('request failed', { error: err.name, detail: err.message.slice(0, 200) });
    if (res.headersSent) return;
    res.status(status).json({ error: status === 500 ? 'Internal error' : err.type === 'entity.parse.failed' ? 'Bad request: invalid JSON' : err.message });
  });
  return app;
}

/**
 * helmet on every route, with a CSP the chat page works under (Web Chat injects its styles, and
 * cards may show images), who may frame the pages, and a Permissions-Policy that turns off what
 * the page never uses.
 */
function securityHeaders(frameAncestors: readonly string[], connectOrigins: readonly string[]): RequestHandler {
  const framedElsewhere = frameAncestors.length > 0;
  const headers = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:', 'https:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'", ...connectOrigins],
        mediaSrc: ["'self'", 'blob:'],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'self'", ...frameAncestors],
      },
    },
    // X-Frame-Options cannot name other origins: leave it out when the page is framed elsewhere
    frameguard: framedElsewhere ? false : { action: 'sameorigin' },
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
  });
  const ancestors = `frame-ancestors ${["'self'", ...frameAncestors].join(' ')}`;
  return (req, res, next) => {
    // A route may set its own CSP (the chat page does): the framing rule still holds there.
    const setHeader = res.setHeader.bind(res);
    res.setHeader = ((name: string, value: number | string | readonly string[]) => {
      // (the length first: every header of every reply passes here)
      const csp = name.length === 23 && typeof value === 'string' && name.toLowerCase() === 'content-security-policy' && !value.includes('frame-ancestors');
      return setHeader(name, csp ? `${value}; ${ancestors}` : value);
    }) as typeof res.setHeader;
    res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()');
    headers(req, res, next);
  };
}
