import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type Activity, type InvokeResponse, type TurnContext } from 'botbuilder';
import type { AnswerBook } from '../dialogs/answers';
import { TURN_LANGUAGE } from '../bot/bot';
import { renderAnswer } from '../bot/render/render';
import type { Config } from './config';
import type { Logger } from './logger';
import { boundOpenIdMetadata, boundTokenFetch, connectorOptions } from './outbound';

/** CloudAdapter with its request processing callable by our own route (which owns the HTTP answers). */
export class CentreAdapter extends CloudAdapter {
  handle(authHeader: string, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(authHeader, activity, logic);
  }
}

/**
 * The Bot Framework adapter. On an error it logs and apologises in the user's language; it never
 * deletes conversation state (a passing fault must not wipe a user's progress).
 */
export function createAdapter(config: Config, answers: AnswerBook, logger: Logger): CentreAdapter {
  boundOpenIdMetadata(config.OUTBOUND_TIMEOUT_MS, logger);
  boundTokenFetch(config.OUTBOUND_TIMEOUT_MS);
  const urls = {
    ...(config.ToBotFromChannelOpenIdMetadataUrl ? { ToBotFromChannelOpenIdMetadataUrl: config.ToBotFromChannelOpenIdMetadataUrl } : {}),
    ...(config.ToBotFromChannelTokenIssuer ? { ToBotFromChannelTokenIssuer: config.ToBotFromChannelTokenIssuer } : {}),
    ...(config.ToBotFromEmulatorOpenIdMetadataUrl ? { ToBotFromEmulatorOpenIdMetadataUrl: config.ToBotFromEmulatorOpenIdMetadataUrl } : {}),
  };
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: config.MicrosoftAppId,
    MicrosoftAppPassword: config.MicrosoftAppPassword,
    MicrosoftAppType: config.MicrosoftAppType,
    MicrosoftAppTenantId: config.MicrosoftAppTenantId,
    ...urls,
  }, undefined, undefined, undefined, connectorOptions(config.OUTBOUND_TIMEOUT_MS));
  const adapter = new CentreAdapter(auth);
  adapter.onTurnError = async (context: TurnContext, error: unknown) => {
    const err = error instanceof Error ? error : new Error(String(error));
    logger.error('turn failed', {
      error: err.name, detail: err.message.slice(0, 200),
      channelId: context.activity.channelId, activityType: context.activity.type,
    });
    // the channel did not take a reply (timed out, refused): an apology would wait as long again
    if (isDeliveryFailure(err)) return;
    const lang = context.turnState.get(TURN_LANGUAGE) ?? 'lv';
    try {
      await context.sendActivity(renderAnswer(answers.simple(lang, 'error'), context.activity.channelId));
    } catch (sendError) {
      logger.warn('could not send the error message', { error: (sendError as Error).name });
    }
  };
  return adapter;
}

/** A failed call to the channel (RestError / abort), possibly wrapped by botbuilder-dialogs. */
function isDeliveryFailure(err: unknown): boolean {
  let e = err as { name?: string; error?: unknown; cause?: unknown } | undefined;
  for (let depth = 0; e && depth < 4; depth++) {
    if (e.name === 'RestError' || e.name === 'AbortError') return true;
    e = (e.error ?? e.cause) as typeof e;
  }
  return false;
}
