import { createClient } from 'redis';

export type RedisClient = ReturnType<typeof createClient>;

/**
 * A node-redis client as every part of the assistant uses it: commands fail fast while it is
 * disconnected (no offline queue), reconnects back off up to 3 s, and each distinct error is logged
 * once per outage (without an 'error' listener node-redis would crash the process).
 */
export function createRedisClient(url: string, log: (msg: string) => void, label = 'redis'): RedisClient {
  const client = createClient({
    url,
    disableOfflineQueue: true,
    socket: { connectTimeout: 1500, reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 3000) },
  });
  let lastError = '';
  client.on('error', (err: Error) => {
    if (err.message === lastError) return;
    lastError = err.message;
    log(`${label}: ${err.message}`);
  });
  client.on('ready', () => {
    if (lastError) log(`${label}: connected again`);
    lastError = '';
  });
  return client;
}
