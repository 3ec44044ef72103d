import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AddressInfo } from 'node:net';
import type express from 'express';

export interface DlActivity {
  id: string;
  type: string;
  text?: string;
  timestamp?: string;
  channelId?: string;
  conversation?: { id: string };
  from?: { id: string; role?: string };
  recipient?: { id: string };
  replyToId?: string;
  locale?: string;
  channelData?: { clientActivityID?: string };
  suggestedActions?: { actions: Array<{ title: string; value: unknown }> };
}

export interface Grant {
  token: string;
  conversationId: string;
  userId: string;
  expires_in: number;
  domain: string;
}

/** Serves the app on a free port; `upgrade` takes WebSocket upgrades (the assistant's, for the web chat's stream). */
export async function listen(app: express.Express, upgrade?: (req: IncomingMessage, socket: Duplex, head: Buffer) => void): Promise<{ baseUrl: string; close(): Promise<void> }> {
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(0, '127.0.0.1', (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  if (upgrade) server.on('upgrade', upgrade);
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** Talks to the Direct Line endpoint over HTTP as Web Chat does (polling). */
export class DirectLineClient {
  watermark = '';
  readonly seen: DlActivity[] = [];

  constructor(readonly baseUrl: string, public token = '', public conversationId = '') {}

  async request(method: string, path: string, body?: unknown, token: string | null = this.token): Promise<{ status: number; body: Record<string, unknown> }> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${this.baseUrl}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }

  async grant(): Promise<Grant> {
    const res = await this.request('POST', '/api/directline/token', undefined, null);
    if (res.status !== 200) throw new Error(`token answered ${res.status}`);
    const grant = res.body as unknown as Grant;
    this.token = grant.token;
    this.conversationId = grant.conversationId;
    return grant;
  }

  async start(locale = 'lv-LV'): Promise<number> {
    const res = await this.request('POST', '/v3/directline/conversations', { user: { id: 'ignored' }, locale });
    return res.status;
  }

  /** One poll; returns what is new and remembers the watermark. */
  async poll(): Promise<DlActivity[]> {
    const res = await this.request('GET', `/v3/directline/conversations/${this.conversationId}/activities?watermark=${this.watermark}`);
    if (res.status !== 200) throw new Error(`poll answered ${res.status}: ${JSON.stringify(res.body)}`);
    const { activities, watermark } = res.body as { activities: DlActivity[]; watermark: string };
    this.watermark = watermark;
    this.seen.push(...activities);
    return activities;
  }

  /** Polls until an activity matches, as Web Chat would (but every 25 ms). */
  async waitFor(match: (a: DlActivity) => boolean, timeoutMs = 10_000): Promise<DlActivity> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.seen.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching activity; saw ${JSON.stringify(this.seen.map((a) => [a.type, a.text?.slice(0, 60)]))}`);
      await this.poll();
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async say(text: string, clientActivityID = `c${Math.random().toString(36).slice(2)}`): Promise<{ status: number; id?: string; clientActivityID: string }> {
    const res = await this.request('POST', `/v3/directline/conversations/${this.conversationId}/activities`, {
      type: 'message', text, from: { id: 'whoever', name: '' }, locale: 'lv-LV', channelData: { clientActivityID },
    });
    return { status: res.status, id: res.body.id as string | undefined, clientActivityID };
  }
}
