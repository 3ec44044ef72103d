import type { Storage } from '../storage/types';
import type { RatingStore } from '../storage/ratingStore';
import type { TranscriptStore } from '../storage/transcriptStore';
import type { Reviews } from './reviews';

/** Channels whose bot state may hold a conversation whose transcript is already gone. */
const KNOWN_CHANNEL_IDS = ['webchat', 'directline', 'msteams', 'telegram', 'emulator', 'test'];

export interface ErasureStores {
  storage: Storage;
  transcripts: TranscriptStore;
  ratings: RatingStore;
}

/** Erases a conversation on request: its bot state, ratings, staff review, and transcript (last). */
export async function eraseConversation(stores: ErasureStores, reviews: Reviews, conversationId: string): Promise<number> {
  const records = await stores.transcripts.get(conversationId);
  const channels = new Set<string>([...records.map((r) => r.channelId), ...KNOWN_CHANNEL_IDS]);
  // botbuilder's ConversationState key (its namespace is empty).
  await stores.storage.delete([...channels].map((c) => `${c}/conversations/${conversationId}/`));
  await stores.ratings.deleteConversation(conversationId);
  await reviews.delete(conversationId);
  await stores.transcripts.deleteConversation(conversationId);
  return records.length;
}

/** How many conversations the next retention run deletes (last activity before the cutoff). */
export async function retentionDryRun(transcripts: TranscriptStore, cutoff: Date): Promise<number> {
  const all = await transcripts.list({ to: cutoff, limit: Number.MAX_SAFE_INTEGER });
  return all.filter((s) => Date.parse(s.lastTimestamp) < cutoff.getTime()).length;
}
