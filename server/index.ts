import type { Server, ServerResponse } from 'node:http';
import { KnowledgeError } from '../knowledge/loader';
import { createStores } from '../storage';
import { createAssistant } from './assistant';
import { ConfigError, loadConfig, type Config } from './config';
import { createLogger } from './logger';

const SHUTDOWN_LIMIT_MS = 10_000;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }
  const logger = createLogger(config.LOG_LEVEL);
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
  const server: Server = assistant.app.listen(config.PORT, (err?: Error) => {
    if (err) fail(`Cannot listen on port ${config.PORT}: ${err.message}`);
    logger.info('listening', { url: `http://localhost:${config.PORT}`, messages: `http://localhost:${config.PORT}/api/messages` });
  });

  // Requests being served (headers read): a stop waits for these too, not only for the turns
  // already inside the bot, or a request still parsing its body would be cut off by the exit.
  let serving = 0;
  let allServed: (() => void) | undefined;
  server.on('request', (_req, res: ServerResponse) => {
    serving++;
    res.once('close', () => {
      serving--;
      if (serving === 0) allServed?.();
    });
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { signal });
    setTimeout(() => process.exit(1), SHUTDOWN_LIMIT_MS).unref();
    // stop accepting; requests in flight finish, then the stores are flushed and closed
    server.close();
    server.closeIdleConnections();
    const started = Date.now();
    const served = new Promise<void>((resolve) => {
      if (serving === 0) return resolve();
      allServed = resolve;
      setTimeout(resolve, SHUTDOWN_LIMIT_MS - 2000).unref();
    });
    void served.then(() => assistant.close(Math.max(0, SHUTDOWN_LIMIT_MS - 2000 - (Date.now() - started)))).then(() => {
      const lockMetrics = assistant.stores.lock.metrics;
      if (lockMetrics) logger.info('lock metrics', { ...lockMetrics });
      logger.info('stopped');
      process.exit(0);
    });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

void main();
