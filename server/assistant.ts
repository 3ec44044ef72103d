import { ConversationState, MemoryStorage, UserState, type Storage } from 'botbuilder';
import type express from 'express';
import { CentreBot } from '../bot/bot';
import { createAccessors } from '../bot/state';
import { AnswerBook } from '../dialogs/answers';
import { MainDialog } from '../dialogs/mainDialog';
import { loadKnowledge } from '../knowledge/loader';
import { Messages } from '../locales/i18n';
import { Recognizer } from '../nlu/recognizer';
import { createAdapter } from './adapter';
import { makeApp } from './app';
import type { Config } from './config';
import { createLogger, type Logger } from './logger';
import { KNOWLEDGE_DIR, LOCALES_DIR } from './paths';

export interface Assistant {
  app: express.Express;
  recognizer: Recognizer;
  logger: Logger;
  close(): Promise<void>;
}

export interface AssistantOptions {
  storage?: Storage;
  logger?: Logger;
  knowledgeDir?: string;
  localesDir?: string;
}

export interface Core {
  bot: CentreBot;
  answers: AnswerBook;
  recognizer: Recognizer;
}

/** Everything below the adapter: knowledge -> nlu -> dialogs -> bot. Tests drive it with a TestAdapter. */
export function createCore(options: AssistantOptions & { logger: Logger }): Core {
  const { logger } = options;
  const knowledge = loadKnowledge(options.knowledgeDir ?? KNOWLEDGE_DIR);
  const messages = Messages.load(options.localesDir ?? LOCALES_DIR);
  const started = Date.now();
  const recognizer = Recognizer.fromLocales(options.localesDir ?? LOCALES_DIR);
  logger.info('nlu trained', { ms: Date.now() - started });
  const storage = options.storage ?? new MemoryStorage();
  const conversationState = new ConversationState(storage);
  const userState = new UserState(storage);
  const answers = new AnswerBook(knowledge, messages);
  const bot = new CentreBot({
    recognizer,
    answers,
    dialog: new MainDialog(answers),
    accessors: createAccessors(conversationState, userState),
    states: [conversationState, userState],
  });
  return { bot, answers, recognizer };
}

/** The one place that creates every object, in dependency order: config -> core -> adapter -> app. */
export function createAssistant(config: Config, options: AssistantOptions = {}): Assistant {
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);
  const { bot, answers, recognizer } = createCore({ ...options, logger });
  const adapter = createAdapter(config, answers, logger);
  const app = makeApp({ adapter, bot, logger });
  return { app, recognizer, logger, close: async () => undefined };
}
