import type { Stores } from '../../storage';
import type { HttpBot } from './httpBot';

export const PERSONAL_CODE = '010190-12345';

/**
 * Conversations for the staff console's tests, made by talking to the real bot over HTTP:
 * A (Latvian): a question with diacritics, a thumbs down with a comment, a personal code typed;
 * B (English): an opening-hours question, no rating.
 */
export async function seedConversations(bot: HttpBot, stores: Pick<Stores, 'transcripts' | 'ratings'>, tag: string): Promise<{ a: string; b: string }> {
  const a = `staff-a-${tag}`;
  const b = `staff-b-${tag}`;
  await bot.say(a, 'Cik maksā sodāmības izziņa?');
  await bot.say(a, '👎 Nenoderēja');
  await bot.say(a, 'nav norādīta summa');
  await bot.say(a, `mans personas kods ir ${PERSONAL_CODE}`);
  await bot.say(b, 'What are your opening hours?', { locale: 'en-US' });
  await stores.transcripts.flush();
  await stores.ratings.flush();
  return { a, b };
}
