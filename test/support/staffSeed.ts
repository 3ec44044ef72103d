import type { Stores } from '../../storage';
import type { HttpBot } from './httpBot';

export const PERSONAL_CODE = '010190-12345';

/**
 * Conversations for the staff console's tests, made by talking to the real bot over HTTP:
 * A (Latvian): a question with diacritics, a thumbs down with a comment, a personal code typed;
 * B (English): an opening-hours question, no rating.
 * Until the bot fills provenance and outcome itself, A gets records with them through the store.
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
  const records = await stores.transcripts.get(a);
  if (!records.some((r) => r.provenance)) {
    const t = new Date().toISOString();
    await stores.transcripts.append({
      conversationId: a, timestamp: t, from: 'user', channelId: 'webchat', type: 'message', language: 'lv',
      text: 'vai izziņu var saņemt elektroniski?', intent: 'criminal_record_certificate', score: 0.87,
      runnerUp: { intent: 'fees', score: 0.41 }, outcome: 'answered',
    });
    await stores.transcripts.append({
      conversationId: a, timestamp: t, from: 'bot', channelId: 'webchat', type: 'message', language: 'lv',
      text: 'Izziņu var pieprasīt portālā latvija.gov.lv.', activityId: `${a}-prov`,
      provenance: { topic: 'criminal_record_certificate', facts: ['crc.online'], sections: ['3.2'] },
    });
    await stores.transcripts.flush();
  }
  return { a, b };
}
