import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from '../logger';
import { WATERMARK, type ConversationStore } from './conversations';
import type { TokenCheck } from './token';

/** The path of a conversation's stream, after the Direct Line's domain. */
export const STREAM_PATH = /^\/v3\/directline\/conversations\/([\w-]{1,64})\/stream$/;

export interface StreamingOptions {
  store: ConversationStore;
  verify(token: string | undefined): Promise<TokenCheck>;
  logger: Logger;
  /** Re-read the store this often, for activities another instance added whose notification was lost (0: only this process appends). */
  sharedPollMs: number;
  /** Ping idle sockets this often; one that does not answer by the next ping is closed. */
  pingMs?: number;
}

export interface Streaming {
  /** Takes an HTTP upgrade if it is for a conversation's stream; false if not ours. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Sockets open now. */
  readonly open: number;
  close(): void;
}

/**
 * Direct Line 3.0's WebSocket stream (`streamUrl`, as Azure's has): the server pushes
 * `{ activities, watermark }` as soon as the bot sends, so the page does not poll. The client
 * only listens (it posts over HTTP), as Web Chat's Direct Line client does. The token comes in
 * the URL (`?t=`), since a browser cannot set headers on a WebSocket.
 */
export function createStreaming(options: StreamingOptions): Streaming {
  const { store, logger } = options;
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096, clientTracking: true });
  const alive = new WeakSet<WebSocket>();
  const pinger = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.has(ws)) {
        ws.terminate();
        continue;
      }
      alive.delete(ws);
      ws.ping();
    }
  }, options.pingMs ?? 30_000);
  pinger.unref();

  const refuse = (socket: Duplex, status: number, reason: string) => {
    socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  };

  /** Feeds one socket: what is after `watermark` now, then whatever is appended. */
  const serve = (ws: WebSocket, conversationId: string, watermark: number) => {
    let sent = watermark;
    let sending = Promise.resolve();
    const push = () => {
      sending = sending.then(async () => {
        if (ws.readyState !== ws.OPEN) return;
        const conversation = await store.get(conversationId);
        if (!conversation) {
          ws.close(1000, 'conversation ended');
          return;
        }
        const group = store.since(conversation, sent);
        if (group.activities.length === 0) return;
        sent = Number(group.watermark);
        ws.send(JSON.stringify(group));
      }).catch((err: unknown) => {
        logger.warn('direct line stream failed', { error: (err as Error).name });
      });
    };
    const onAppended = (id: string) => {
      if (id === conversationId) push();
    };
    // 'appended': by this process; 'remote': by another instance (Redis pub/sub).
    store.on('appended', onAppended);
    store.on('remote', onAppended);
    const poll = options.sharedPollMs > 0 ? setInterval(push, options.sharedPollMs) : undefined;
    alive.add(ws);
    ws.on('pong', () => alive.add(ws));
    // Web Chat's client sends an empty message every 20 s to notice a broken connection; nothing to do.
    ws.on('message', () => alive.add(ws));
    ws.on('close', () => {
      store.off('appended', onAppended);
      store.off('remote', onAppended);
      clearInterval(poll);
    });
    ws.on('error', () => ws.terminate());
    push();
  };

  return {
    upgrade(req, socket, head) {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const match = STREAM_PATH.exec(url.pathname);
      if (!match) return false;
      const conversationId = match[1]!;
      const watermark = url.searchParams.get('watermark') ?? '';
      void (async () => {
        if (!WATERMARK.test(watermark)) return refuse(socket, 400, 'Bad Request');
        const check = await options.verify(url.searchParams.get('t') ?? undefined);
        if (!check.ok) return refuse(socket, check.reason === 'expired' ? 403 : 401, check.reason === 'expired' ? 'Forbidden' : 'Unauthorized');
        if (check.claims.conv !== conversationId) return refuse(socket, 403, 'Forbidden');
        if (!(await store.get(conversationId))) return refuse(socket, 404, 'Not Found');
        wss.handleUpgrade(req, socket, head, (ws) => serve(ws, conversationId, Number(watermark || '0')));
      })().catch((err: unknown) => {
        logger.warn('direct line stream refused', { error: (err as Error).name });
        refuse(socket, 503, 'Service Unavailable');
      });
      return true;
    },
    get open() {
      return wss.clients.size;
    },
    close() {
      clearInterval(pinger);
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}
