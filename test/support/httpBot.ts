import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type express from 'express';

export interface ReplyActivity {
  type: string;
  text?: string;
  textFormat?: string;
  suggestedActions?: { actions: Array<{ title: string; value: unknown }> };
  attachments?: Array<{ contentType: string; content: unknown }>;
}

/** Talks to the assistant over real HTTP, as a channel would, with deliveryMode "expectReplies". */
export class HttpBot {
  private constructor(private readonly server: Server, readonly baseUrl: string) {}

  static async start(app: express.Express): Promise<HttpBot> {
    const server = await new Promise<Server>((resolve, reject) => {
      const s = app.listen(0, '127.0.0.1', (err?: Error) => (err ? reject(err) : resolve(s)));
    });
    const { port } = server.address() as AddressInfo;
    return new HttpBot(server, `http://127.0.0.1:${port}`);
  }

  async post(activity: Record<string, unknown>): Promise<{ status: number; activities: ReplyActivity[] }> {
    const res = await fetch(`${this.baseUrl}/api/messages`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity),
    });
    const text = await res.text();
    const body = text ? (JSON.parse(text) as { activities?: ReplyActivity[] }) : {};
    return { status: res.status, activities: body.activities ?? [] };
  }

  async say(conversationId: string, text: string, extra: Record<string, unknown> = {}): Promise<ReplyActivity[]> {
    const { status, activities } = await this.post({
      type: 'message', text, id: `a${Math.random().toString(36).slice(2)}`,
      from: { id: `user-${conversationId}`, name: 'User' }, recipient: { id: 'bot', name: 'Bot' },
      conversation: { id: conversationId }, channelId: 'webchat', serviceUrl: 'http://127.0.0.1:1', locale: 'lv-LV',
      deliveryMode: 'expectReplies', timestamp: new Date().toISOString(), ...extra,
    });
    if (status !== 200) throw new Error(`POST /api/messages answered ${status}`);
    return activities;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export const texts = (activities: ReplyActivity[]) => activities.map((a) => a.text ?? '').join('\n');
