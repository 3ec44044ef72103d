import type { Server } from 'node:http';
import { createAssistant } from './assistant';
import { ConfigError, loadConfig } from './config';
import { KnowledgeError } from '../knowledge/loader';

function main(): void {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  let assistant;
  try {
    assistant = createAssistant(config);
  } catch (err) {
    if (err instanceof KnowledgeError) {
      process.stderr.write(`Knowledge data is invalid: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const { app, logger } = assistant;
  const server: Server = app.listen(config.PORT, (err?: Error) => {
    if (err) {
      logger.error('cannot listen', { port: config.PORT, error: err.message });
      process.exit(1);
    }
    logger.info('listening', { url: `http://localhost:${config.PORT}`, messages: `http://localhost:${config.PORT}/api/messages` });
  });
  const stop = (signal: string) => {
    logger.info('stopping', { signal });
    server.close(() => {
      void assistant.close().then(() => process.exit(0));
    });
    setTimeout(() => process.exit(0), 9000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main();
