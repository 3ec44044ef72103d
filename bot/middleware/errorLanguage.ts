import type { Activity, Middleware, TurnContext } from 'botbuilder';
import { identifyLanguage } from '../../nlu/languageId';
import type { Lang } from '../../nlu/languagePack';
import { detectLanguageSwitch } from '../../nlu/languageSwitch';
import { TURN_LANGUAGE } from '../bot';

/**
 * A turn that fails before the bot has read the user's language (Redis down: the turn lock or
 * the state read throws) would be apologised for in Latvian, whatever the user writes. This
 * sets a best guess from the message itself and the channel's locale, only in that case, so the
 * adapter's onTurnError answers in the user's language. Normal turns are untouched.
 */
export class ErrorLanguage implements Middleware {
  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    try {
      await next();
    } catch (err) {
      if (!context.turnState.get(TURN_LANGUAGE)) context.turnState.set(TURN_LANGUAGE, guessLanguage(context.activity));
      throw err;
    }
  }
}

export function guessLanguage(activity: Partial<Activity>): Lang {
  const locale = /^en\b/i.test(activity.locale ?? '') ? 'en' : /^lv\b/i.test(activity.locale ?? '') ? 'lv' : undefined;
  const text = (activity.text ?? '').trim();
  if (!text) return locale ?? 'lv';
  return detectLanguageSwitch(text) ?? identifyLanguage(text, locale ?? 'lv', () => 0).lang;
}
