/** Shared bits of the system tests (not a test file). */
import type { TurnLockMetrics } from '../../storage/turnLock';
import type { BotProcess } from '../support/botProcess';

/** botbuilder's ConversationState key under the default Redis prefix. */
export const stateKey = (conversationId: string, channelId = 'webchat'): string =>
  `iemic:state:${channelId}/conversations/${conversationId}/`;

export const transcriptKey = (conversationId: string): string => `iemic:tx:log:${conversationId}`;

export interface StoredRecord {
  seq: number;
  from: 'user' | 'bot';
  text?: string;
  conversationId: string;
  language?: string;
  intent?: string;
}

/** The 'lock metrics' line the server logs at shutdown. */
export function lockMetricsOf(bot: BotProcess): TurnLockMetrics {
  const line = bot.logLines().find((l) => l.msg === 'lock metrics');
  if (!line) throw new Error(`${bot.name} logged no lock metrics:\n${bot.output().slice(-2000)}`);
  const { acquired, waited, maxWaitMs, timeouts, retries, lost } = line as unknown as TurnLockMetrics;
  return { acquired, waited, maxWaitMs, timeouts, retries, lost };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

