import express, { type NextFunction, type Request, type Response } from 'express';
import type { CloudAdapter } from 'botbuilder';
import type { ActivityHandler } from 'botbuilder';
import type { Logger } from './logger';

export interface AppDeps {
  adapter: CloudAdapter;
  bot: ActivityHandler;
  logger: Logger;
  /** False while a dependency the turns need (e.g. Redis) is down. */
  isReady?: () => boolean;
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
  app.post('/api/messages', express.json({ limit: '256kb' }), (req: Request, res: Response, next: NextFunction) => {
    const body = req.body as unknown;
    if (!body || typeof body !== 'object' || typeof (body as { type?: unknown }).type !== 'string') {
      res.status(400).json({ error: 'Bad request: the body must be a Bot Framework activity (JSON with a "type").' });
      return;
    }
    deps.adapter.process(req, res, (context) => deps.bot.run(context)).catch(next);
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
