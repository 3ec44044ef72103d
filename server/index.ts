import { createServer, type Server, type ServerResponse } from 'node:http';
import net from 'node:net';
import { KnowledgeError } from '../knowledge/loader';
import { createStores } from '../storage';
import { createAssistant } from './assistant';
import { ConfigError, loadConfig, type Config } from './config';
import { createLogger, routeConsoleTo, type Logger } from './logger';

const SHUTDOWN_LIMIT_MS = 10_000;
const ACCEPT_GRACE_MS = 200;

// Until the configuration is read, errors go through a logger at the default level.
let logger: Logger = createLogger('info');

function fail(message: string): never {
  logger.error(message);
  process.exit(1);
}

process.on('unhandledRejection', (reason) => {
  logger.error('unhandled rejection', { error: reason instanceof Error ? reason.name : typeof reason, detail: reason instanceof Error ? reason.message.slice(0, 200) : undefined });
});
process.on('uncaughtException', (err) => {
  logger.error('uncaught exception, exiting', { error: err.name, detail: err.message.slice(0, 200) });
  process.exit(1);
});

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }
  logger = createLogger(config.LOG_LEVEL);
  routeConsoleTo(logger);
  const stores = await createStores({
    dataDir: config.DATA_DIR,
    keyPrefix: config.REDIS_KEY_PREFIX,
    conversationTtlDays: config.CONVERSATION_TTL_DAYS,
    logger: (msg) => logger.warn(msg),
    ...(config.REDIS_URL ? { redisUrl: config.REDIS_URL } : {}),
  });
  logger.info('storage', { kind: stores.kind });
  let assistant;
  try {
    assistant = createAssistant(config, { stores, logger });
  } catch (err) {
    if (err instanceof KnowledgeError) fail(`Knowledge data is invalid: ${err.message}`);
    throw err;
  }
  // Slow clients (a header or body trickled in) are cut off instead of holding a socket for
  // minutes; node checks those deadlines every `connectionsCheckingInterval` (default 30 s).
  const server: Server = createServer({
    headersTimeout: config.HTTP_HEADERS_TIMEOUT_MS,
    requestTimeout: config.HTTP_REQUEST_TIMEOUT_MS,
    keepAliveTimeout: config.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    connectionsCheckingInterval: Math.min(1000, config.HTTP_HEADERS_TIMEOUT_MS),
  }, assistant.app);
  server.on('error', (err) => fail(`Cannot listen on port ${config.PORT}: ${err.message}`));
  server.listen(config.PORT, () => {
    logger.info('listening', { url: `http://localhost:${config.PORT}`, messages: `http://localhost:${config.PORT}/api/messages` });
  });

  server.on('upgrade', assistant.upgrade);

  // Requests being served (headers read): a stop waits for these too, not only for the turns
  // already inside the bot, or a request still parsing its body would be cut off by the exit.
  let serving = 0;
  server.on('request', (_req, res: ServerResponse) => {
    serving++;
    res.once('close', () => {
      serving--;
    });
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { signal });
    setTimeout(() => process.exit(1), SHUTDOWN_LIMIT_MS).unref();
    // Stop accepting connections, but keep the open ones: http.Server.close would also drop
    // keep-alive connections whose request is sent but not yet read, and those clients would
    // see a reset. Requests on them are still served; the process exits once all is quiet.
    // The listener closes after a moment, so connections already waiting to be accepted are
    // taken (closing it at once resets them); /readyz says 503 from now on.
    assistant.stopping();
    setTimeout(() => net.Server.prototype.close.call(server), ACCEPT_GRACE_MS);
    const started = Date.now();
    const quiet = sleep(ACCEPT_GRACE_MS).then(() => waitUntilQuiet(() => serving, SHUTDOWN_LIMIT_MS - 2000));
    void quiet.then(() => assistant.close(Math.max(0, SHUTDOWN_LIMIT_MS - 2000 - (Date.now() - started)))).then(() => {
      server.closeAllConnections();
      const lockMetrics = assistant.stores.lock.metrics;
      if (lockMetrics) logger.info('lock metrics', { ...lockMetrics });
      logger.info('stopped');
      process.exit(0);
    });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Resolves once nothing has been served for two checks in a row (a request just read counts), or at the limit. */
function waitUntilQuiet(active: () => number, limitMs: number): Promise<void> {
  const deadline = Date.now() + limitMs;
  return new Promise((resolve) => {
    let quietChecks = 0;
    const check = () => {
      quietChecks = active() === 0 ? quietChecks + 1 : 0;
      if (quietChecks >= 2 || Date.now() >= deadline) return resolve();
      // not unref'd: when idle, this timer is what keeps the process alive until the flush and "stopped"
      setTimeout(check, 50);
    };
    check();
  });
}

void main();
