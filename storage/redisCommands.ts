import { createHash } from 'node:crypto';
import { ErrorReply } from 'redis';
import { isStorageUnavailable, StorageUnavailableError } from './errors';

/**
 * The part of a node-redis v5 client the stores use. A client from `createClient()` fits;
 * create it with `disableOfflineQueue: true` so commands fail at once while disconnected
 * instead of queueing (see DESIGN.md).
 */
export interface RedisCommandClient {
  sendCommand(args: string[]): Promise<unknown>;
  readonly isReady: boolean;
}

export interface LuaScript {
  readonly source: string;
  readonly sha1: string;
}

export function luaScript(source: string): LuaScript {
  return { source, sha1: createHash('sha1').update(source).digest('hex') };
}

/** Default bound for one command; keeps a turn well inside the channel's 15 s timeout. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 1500;

// Replies that mean "the server cannot serve now", not "your command is wrong".
const TRANSIENT_REPLY = /^(LOADING|BUSY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN|READONLY|NOREPLICAS)\b/;

/**
 * Sends raw commands with a deadline and maps connection failures to
 * StorageUnavailableError. Raw `sendCommand` (not MULTI/WATCH) keeps one shared client
 * safe under concurrency: every multi-step operation is a Lua script.
 */
export class RedisCommands {
  constructor(
    private readonly client: RedisCommandClient,
    private readonly timeoutMs = DEFAULT_COMMAND_TIMEOUT_MS,
  ) {}

  get isReady(): boolean {
    return this.client.isReady;
  }

  async call<T = unknown>(args: Array<string | number>): Promise<T> {
    const strArgs = args.map(String);
    let timer: NodeJS.Timeout | undefined;
    try {
      const reply = this.client.sendCommand(strArgs);
      // The reply may still arrive (and reject) after the deadline: never leave it unhandled.
      reply.catch(() => undefined);
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new StorageUnavailableError(`Redis: no reply to ${strArgs[0]} within ${this.timeoutMs} ms`)),
          this.timeoutMs,
        );
      });
      return (await Promise.race([reply, deadline])) as T;
    } catch (err) {
      throw classify(err, strArgs[0] ?? '?');
    } finally {
      clearTimeout(timer);
    }
  }

  /** EVALSHA, falling back to EVAL when the server does not know the script (e.g. after a restart). */
  async eval<T = unknown>(script: LuaScript, keys: string[], args: Array<string | number>): Promise<T> {
    try {
      return await this.call<T>(['EVALSHA', script.sha1, keys.length, ...keys, ...args]);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      return this.call<T>(['EVAL', script.source, keys.length, ...keys, ...args]);
    }
  }
}

function classify(err: unknown, command: string): unknown {
  if (isStorageUnavailable(err)) return err;
  if (err instanceof ErrorReply) {
    return TRANSIENT_REPLY.test(err.message)
      ? new StorageUnavailableError(`Redis cannot serve ${command}: ${err.message}`, err)
      : err;
  }
  const message = err instanceof Error ? err.message : String(err);
  return new StorageUnavailableError(`Redis unavailable (${command}): ${message}`, err);
}
