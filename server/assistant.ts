import { ConversationState, MemoryStorage, UserState, type Storage } from 'botbuilder';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type express from 'express';
import { CentreBot } from '../bot/bot';
import { createAccessors } from '../bot/state';
import { AnswerBook } from '../dialogs/answers';
import { MainDialog } from '../dialogs/mainDialog';
import { Feedback } from '../dialogs/feedbackDialogs';
import { DiskRatingStore } from '../storage/diskRatingStore';
import type { RatingStore } from '../storage/ratingStore';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArchiveGuide } from '../dialogs/archiveGuide';
import { Checklists } from '../dialogs/checklists';
import { CriminalRecordGuide } from '../dialogs/criminalRecordGuide';
import type { Clock } from '../dialogs/hoursAnswer';
import { loadKnowledge } from '../knowledge/loader';
import { LiveKnowledge } from '../knowledge/overlay';
import { Messages } from '../locales/i18n';
import { Recognizer } from '../nlu/recognizer';
import { LiveRecognizer } from '../nlu/liveRecognizer';
import { createAdapter } from './adapter';
import { makeApp } from './app';
import type { Config } from './config';
import { createDirectLine } from './directline/directLine';
import { createWebPageRouter } from './directline/webPage';
import { createLogger, type Logger } from './logger';
import { createStaffRouter } from './staff';
import { messageLimiter } from './messageLimits';
import { Metrics } from './metrics';
import { createStaffConsoleFromConfig } from './staffConsole';
import { KNOWLEDGE_DIR, LOCALES_DIR } from './paths';
import { ErrorLanguage } from '../bot/middleware/errorLanguage';
import { InFlightTurns } from '../bot/middleware/inFlight';
import { InputLimits } from '../bot/middleware/inputLimits';
import { TranscriptLogger } from '../bot/middleware/transcriptLogger';
import { TurnLockMiddleware } from '../bot/middleware/turnLock';
import { createDiskStores, type Stores } from '../storage';
import type { TranscriptStore } from '../storage/transcriptStore';

export interface Assistant {
  app: express.Express;
  recognizer: Recognizer;
  logger: Logger;
  stores: Stores;
  /** Prometheus metrics (GET /metrics); `directLineConversations` is for the local Direct Line to set. */
  metrics: Metrics;
  /** Waits for turns in flight (up to `timeoutMs`), flushes transcripts and closes the stores. */
  close(timeoutMs?: number): Promise<void>;
  /** From now on /readyz answers 503, so that a load balancer sends no more (SIGTERM). */
  stopping(): void;
  /** For the HTTP server's 'upgrade' event (the web chat's WebSocket stream). */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
}

export interface AssistantOptions {
  /** Defaults to the embedded stores on disk under DATA_DIR; the start script passes Redis ones when REDIS_URL is set. */
  stores?: Stores;
  /** Bot state storage for tests that drive the core without HTTP (default: in memory). */
  storage?: Storage;
  /** Ratings for tests that drive the core without HTTP (default: on disk in a temporary folder). */
  ratings?: RatingStore;
  logger?: Logger;
  knowledgeDir?: string;
  localesDir?: string;
  /** The current time; tests pin it. */
  clock?: Clock;
  /** A recognizer already trained (tests build many bots on one). */
  recognizer?: Recognizer;
  /**
   * When to start the teaching worker thread ahead of the first change (ms after start). Default:
   * 3 s with Redis when running compiled; never from the TypeScript sources, where it would
   * compile the whole bot again beside the tests.
   */
  teachWarmAfterMs?: number;
}

export interface Core {
  bot: CentreBot;
  answers: AnswerBook;
  recognizer: Recognizer;
  /** What the answers are read from: the files' knowledge with the staff's notices and fact edits over it. */
  knowledge: LiveKnowledge;
  messages: Messages;
  /** What the bot reads: `recognizer` until staff's training changes replace it (staff/teachLive.ts). */
  live: LiveRecognizer;
}

/** Everything below the adapter: knowledge -> nlu -> dialogs -> bot. Tests drive it with a TestAdapter. */
export function createCore(options: AssistantOptions & { logger: Logger }): Core {
  const { logger } = options;
  // staff notices and fact edits are swapped in while it runs (staff/liveKnowledge.ts)
  const knowledge = new LiveKnowledge(loadKnowledge(options.knowledgeDir ?? KNOWLEDGE_DIR));
  const messages = Messages.load(options.localesDir ?? LOCALES_DIR);
  const started = Date.now();
  const recognizer = options.recognizer ?? Recognizer.fromLocales(options.localesDir ?? LOCALES_DIR);
  if (!options.recognizer) logger.info('nlu trained', { ms: Date.now() - started });
  const storage = options.storage ?? new MemoryStorage();
  const conversationState = new ConversationState(storage);
  const userState = new UserState(storage);
  const accessors = createAccessors(conversationState, userState);
  const clock = options.clock ?? (() => new Date());
  const answers = new AnswerBook(knowledge, messages, clock);
  const ratings = options.ratings ?? new DiskRatingStore({ dataDir: mkdtempSync(join(tmpdir(), 'iemic-ratings-')) });
  const feedback = new Feedback({ messages, knowledge, ratings, conversation: accessors.conversation, clock });
  const checklists = new Checklists(knowledge, messages, answers.hoursAnswers);
  const guideDeps = { messages, answers };
  const live = new LiveRecognizer(recognizer);
  const bot = new CentreBot({
    recognizer: live,
    answers,
    dialog: new MainDialog(answers, {
      criminalRecord: new CriminalRecordGuide(guideDeps, knowledge, checklists),
      archive: new ArchiveGuide(guideDeps, knowledge, checklists),
    }, feedback),
    accessors,
    states: [conversationState, userState],
  });
  return { bot, answers, recognizer, knowledge, messages, live };
}

/** The one place that creates every object, in dependency order: config -> core -> adapter -> app. */
export function createAssistant(config: Config, options: AssistantOptions = {}): Assistant {
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);
  const stores = options.stores ?? createDiskStores(config.DATA_DIR, { idleStateDays: config.CONVERSATION_TTL_DAYS, logger: (msg) => logger.info(msg) });
  const metrics = new Metrics(stores.lock);
  const { bot, answers, recognizer, knowledge, messages, live } = createCore({ ...options, storage: stores.storage, ratings: metrics.countRatings(stores.ratings), logger });
  const adapter = createAdapter(config, answers, logger);
  const inFlight = new InFlightTurns();
  const transcriptWarn = (msg: string, fields: Record<string, unknown>) => {
    metrics.storageErrors.inc({ where: 'transcripts' });
    logger.warn(msg, fields);
  };
  const middleware = [metrics.middleware(), inFlight, new ErrorLanguage(), new TurnLockMiddleware(stores.lock), new TranscriptLogger(stores.transcripts, transcriptWarn), new InputLimits(answers)];
  adapter.use(...middleware);
  // The web page's own Direct Line runs the same bot in-process; middleware added to `adapter`
  // belongs on `directLine.adapter` too.
  const directLine = createDirectLine({
    bot, logger, proxyHops: config.TRUST_PROXY_HOPS, storage: stores.storage, redisKeyPrefix: config.REDIS_KEY_PREFIX,
    ...(stores.redis ? { redis: stores.redis } : {}),
    ...(config.DIRECT_LINE_TOKEN_KEY ? { tokenKey: config.DIRECT_LINE_TOKEN_KEY } : {}),
    ...(config.DIRECT_LINE_SECRET ? { secret: config.DIRECT_LINE_SECRET } : {}),
    ...(config.DIRECT_LINE_DOMAIN ? { azureDomain: config.DIRECT_LINE_DOMAIN } : {}),
  });
  directLine.adapter.onTurnError = adapter.onTurnError;
  directLine.adapter.use(...middleware);
  const staff = createStaffRouter({ token: config.STAFF_TOKEN, stores, logger, erase: [directLine.erase], allowErase: config.STAFF_API_ERASE });
  const staffConsole = createStaffConsoleFromConfig(config, {
    stores, logger, knowledge, messages, ...(options.clock ? { now: options.clock } : {}),
    teach: {
      live, localesDir: options.localesDir ?? LOCALES_DIR, knowledgeDir: options.knowledgeDir ?? KNOWLEDGE_DIR,
      ...(options.teachWarmAfterMs !== undefined ? { warmAfterMs: options.teachWarmAfterMs } : config.REDIS_URL && !__filename.endsWith('.ts') ? { warmAfterMs: 3000 } : {}),
    },
  });
  let shuttingDown = false;
  // not ready before the staff's notices and fact edits are read: a restarted instance answers with them from its first turn
  const staffChangesLoaded = () => staffConsole.knowledge?.loaded ?? true;
  const anonymous = !config.MicrosoftAppId;
  if (anonymous) logger.warn('*** WARNING: ANONYMOUS MODE, no MicrosoftAppId: /api/messages accepts unsigned requests from anyone (never on a public address); replies go only with expectReplies or to ' + config.ANONYMOUS_SERVICE_HOSTS.join(', ') + ' ***', { allowAnonymous: config.ALLOW_ANONYMOUS, nodeEnv: config.NODE_ENV });
  const limiter = messageLimiter({
    perMinute: config.MESSAGES_PER_MINUTE, anonymous, keyPrefix: config.REDIS_KEY_PREFIX,
    ...(stores.sendCommand ? { sendCommand: stores.sendCommand } : {}),
  });
  const azureDirectLine = config.DIRECT_LINE_SECRET ? [new URL(config.DIRECT_LINE_DOMAIN ?? 'https://directline.botframework.com').origin] : [];
  const app = makeApp({
    adapter, bot, logger, metrics, messageLimiter: limiter, trustProxyHops: config.TRUST_PROXY_HOPS,
    frameAncestors: config.FRAME_ANCESTORS, connectOrigins: azureDirectLine,
    ...(config.METRICS_TOKEN ? { metricsToken: config.METRICS_TOKEN } : {}),
    ...(anonymous ? { anonymousServiceHosts: config.ANONYMOUS_SERVICE_HOSTS } : {}), isReady: () => !shuttingDown && stores.isReady() && staffChangesLoaded(), routers: [staff, staffConsole.router, directLine.router, createWebPageRouter()] });
  const retention = scheduleRetention(stores.transcripts, config.TRANSCRIPT_RETENTION_DAYS, logger);
  return {
    app, recognizer, logger, stores, metrics,
    stopping: () => {
      shuttingDown = true;
    },
    upgrade: (req, socket, head) => {
      if (!directLine.upgrade(req, socket, head)) socket.destroy();
    },
    close: async (timeoutMs = 8000) => {
      clearInterval(retention);
      const drained = await inFlight.drain(timeoutMs);
      if (!drained) logger.warn('turns still running at shutdown', { active: inFlight.active });
      await directLine.close();
      await staffConsole.close();
      await stores.close();
    },
  };
}

const RETENTION_CHECK_MS = 6 * 3600 * 1000;

/** Deletes transcripts older than the retention period: now, and every few hours. */
function scheduleRetention(transcripts: TranscriptStore, days: number, logger: Logger): NodeJS.Timeout {
  const prune = () => {
    const cutoff = new Date(Date.now() - days * 24 * 3600 * 1000);
    transcripts.pruneOlderThan(cutoff).then(
      (n) => n > 0 && logger.info('transcripts pruned', { conversations: n, olderThanDays: days }),
      (err: Error) => logger.warn('transcript pruning failed', { error: err.name }),
    );
  };
  prune();
  const timer = setInterval(prune, RETENTION_CHECK_MS);
  timer.unref();
  return timer;
}
