import type { Middleware, TurnContext } from 'botbuilder';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { RECOGNITION, type RecognitionSummary } from '../bot/bot';
import { OUT_OF_SCOPE } from '../nlu/intents';
import { LockTimeoutError, StorageUnavailableError } from '../storage/errors';
import type { Rating, RatingStore } from '../storage/ratingStore';
import type { TurnLock } from '../storage/turnLock';

const PREFIX = 'iemic_';

/** The assistant's Prometheus metrics (one registry per assistant, so tests can run several). */
export class Metrics {
  readonly registry = new Registry();
  readonly turnSeconds = new Histogram({
    name: `${PREFIX}turn_duration_seconds`, help: 'Time to handle one incoming activity, by channel.',
    labelNames: ['channel'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [this.registry],
  });
  readonly turns = new Counter({ name: `${PREFIX}turns_total`, help: 'Incoming activities by channel and outcome (answered, fallback, error).', labelNames: ['channel', 'outcome'], registers: [this.registry] });
  readonly fallbacks = new Counter({ name: `${PREFIX}fallbacks_total`, help: 'Messages the assistant could not answer (out of scope), by language.', labelNames: ['language'], registers: [this.registry] });
  readonly ratings = new Counter({ name: `${PREFIX}ratings_total`, help: 'Ratings given, by kind (helpful, csat) and value.', labelNames: ['kind', 'value'], registers: [this.registry] });
  readonly storageErrors = new Counter({ name: `${PREFIX}storage_errors_total`, help: 'Storage failures (state, transcripts, ratings), by where.', labelNames: ['where'], registers: [this.registry] });
  readonly directLineConversations = new Gauge({ name: `${PREFIX}directline_conversations`, help: 'Conversations held by the local Direct Line.', registers: [this.registry] });

  constructor(lock: TurnLock) {
    collectDefaultMetrics({ register: this.registry, prefix: PREFIX });
    const lockCounter = (name: string, help: string, read: () => number) => new Counter({
      name: `${PREFIX}${name}`, help, registers: [this.registry],
      collect() {
        this.reset();
        this.inc(read());
      },
    });
    lockCounter('lock_acquired_total', 'Turns that got their conversation lock.', () => lock.metrics?.acquired ?? 0);
    lockCounter('lock_waits_total', 'Turns that waited for another turn of the same conversation.', () => lock.metrics?.waited ?? 0);
    lockCounter('lock_timeouts_total', 'Turns that gave up waiting for the conversation lock.', () => lock.metrics?.timeouts ?? 0);
    new Gauge({
      name: `${PREFIX}lock_max_wait_seconds`, help: 'Longest wait for a conversation lock since start.', registers: [this.registry],
      collect() {
        this.set((lock.metrics?.maxWaitMs ?? 0) / 1000);
      },
    });
  }

  /** Outermost middleware: times every turn and counts its outcome. */
  middleware(): Middleware {
    return {
      onTurn: async (context: TurnContext, next: () => Promise<void>) => {
        const channel = (context.activity.channelId ?? 'unknown').slice(0, 32);
        const stop = this.turnSeconds.startTimer({ channel });
        let outcome = 'answered';
        try {
          await next();
          const recognized = context.turnState.get(RECOGNITION) as RecognitionSummary | undefined;
          if (recognized?.intent === OUT_OF_SCOPE) {
            outcome = 'fallback';
            this.fallbacks.inc({ language: recognized.language });
          }
        } catch (err) {
          outcome = 'error';
          if (err instanceof StorageUnavailableError) this.storageErrors.inc({ where: 'turn' });
          if (err instanceof LockTimeoutError) outcome = 'lock_timeout';
          throw err;
        } finally {
          stop();
          this.turns.inc({ channel, outcome });
        }
      },
    };
  }

  /** The rating store, counting what is added. */
  countRatings(store: RatingStore): RatingStore {
    const add = async (r: Rating) => {
      try {
        await store.add(r);
      } catch (err) {
        this.storageErrors.inc({ where: 'ratings' });
        throw err;
      }
      this.ratings.inc({ kind: r.kind, value: String(r.value) });
    };
    return {
      add,
      setComment: (conversationId, ratingId, comment) => store.setComment(conversationId, ratingId, comment),
      list: (filter) => store.list(filter),
      deleteConversation: (conversationId) => store.deleteConversation(conversationId),
      flush: () => store.flush(),
    };
  }
}
