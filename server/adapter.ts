import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';
import type { AnswerBook } from '../dialogs/answers';
import { TURN_LANGUAGE } from '../bot/bot';
import { renderAnswer } from '../bot/render/render';
import type { Config } from './config';
import type { Logger } from './logger';

/**
 * The Bot Framework adapter. On an error it logs and apologises in the user's language; it never
 * deletes conversation state (a passing fault must not wipe a user's progress).
 */
export function createAdapter(config: Config, answers: AnswerBook, logger: Logger): CloudAdapter {
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: config.MicrosoftAppId,
    MicrosoftAppPassword: config.MicrosoftAppPassword,
    MicrosoftAppType: config.MicrosoftAppType,
    MicrosoftAppTenantId: config.MicrosoftAppTenantId,
  });
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async (context: TurnContext, error: unknown) => {
    const err = error instanceof Error ? error : new Error(String(error));
    logger.error('turn failed', {
      error: err.name, detail: err.message.slice(0, 200),
      channelId: context.activity.channelId, activityType: context.activity.type,
    });
    const lang = context.turnState.get(TURN_LANGUAGE) ?? 'lv';
    try {
      await context.sendActivity(renderAnswer(answers.simple(lang, 'error'), context.activity.channelId));
    } catch (sendError) {
      logger.warn('could not send the error message', { error: (sendError as Error).name });
    }
  };
  return adapter;
}
