import type { RedisCommandClient } from '../../storage/redisCommands';

/** The part of a node-redis client that makes a second connection for subscribing. */
export interface RedisPubSubClient extends RedisCommandClient {
  duplicate(): {
    on(event: 'error', listener: (err: Error) => void): unknown;
    connect(): Promise<unknown>;
    pSubscribe(pattern: string, listener: (message: string, channel: string) => void): Promise<void>;
    destroy(): void;
  };
}

export function canSubscribe(client: RedisCommandClient): client is RedisPubSubClient {
  return typeof (client as Partial<RedisPubSubClient>).duplicate === 'function';
}

/**
 * "Conversation X has new activities", between the instances sharing Redis: an instance that
 * appends publishes the id; every instance's streams for X read the store at once. (Pub/sub is
 * fire-and-forget: a message lost in a Redis hiccup is made up by the streams' slow re-read.)
 */
export class AppendNotifications {
  private subscriber?: ReturnType<RedisPubSubClient['duplicate']>;

  constructor(private readonly client: RedisCommandClient, private readonly channelPrefix: string) {}

  /** Subscribes (in the background; node-redis resubscribes after a reconnect). */
  listen(onAppended: (conversationId: string) => void, onError: (err: Error) => void): void {
    if (!canSubscribe(this.client)) return;
    const subscriber = this.client.duplicate();
    this.subscriber = subscriber;
    subscriber.on('error', onError);
    subscriber.connect()
      .then(() => subscriber.pSubscribe(`${this.channelPrefix}*`, (_message, channel) => onAppended(channel.slice(this.channelPrefix.length))))
      .catch(onError);
  }

  publish(conversationId: string): void {
    if (!this.client.isReady) return;
    this.client.sendCommand(['PUBLISH', `${this.channelPrefix}${conversationId}`, '1']).catch(() => undefined);
  }

  close(): void {
    try {
      this.subscriber?.destroy();
    } catch {
      // already closed
    }
  }
}
