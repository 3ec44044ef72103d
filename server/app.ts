import express, { type NextFunction, type Request, type Response } from 'express';
import type { Activity } from 'botbuilder';
import type { CentreAdapter } from './adapter';
import type { ActivityHandler } from 'botbuilder';
import { activityProblem, serviceUrlAllowed } from './activityCheck';
import type { Logger } from './logger';

export interface AppDeps {
  adapter: CentreAdapter;
  bot: ActivityHandler;
  logger: Logger;
  /** False while a dependency the turns need (e.g. Redis) is down. */
  isReady?: () => boolean;
  /** Without an app id: the hosts replies may go to (others need deliveryMode expectReplies). Unset: authenticated. */
  anonymousServiceHosts?: readonly string[];
  /** More routes (the local Direct Line, the chat page), mounted before the 404 handler. */
  routers?: express.Router[];
}

/** Routes only; listening is the caller's business, so tests use the app without a port. */
export function makeApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', (_req, res) => {
    const ready = deps.isReady ? deps.isReady() : true;
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable' });
  });
  app.post('/api/messages', express.json({ limit: '256kb' }), async (req: Request, res: Response, next: NextFunction) => {
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
