import { ActivityHandler, MemoryStorage } from 'botbuilder';
import { CentreAdapter } from '../../server/adapter';
import WebSocket from 'ws';
import { makeApp } from '../../server/app';
import { createDirectLine } from '../../server/directline/directLine';
import { createLogger } from '../../server/logger';
import { DirectLineClient, listen, type DlActivity } from './directLineClient';

/** The Direct Line's WebSocket stream (streamUrl), with a small echo bot, over a real socket. */
class EchoBot extends ActivityHandler {
  constructor() {
    super();
    this.onMessage(async (context, next) => {
      await context.sendActivity(`echo: ${context.activity.text}`);
      await next();
    });
  }
}

async function serve() {
  const bot = new EchoBot();
  const directLine = createDirectLine({ bot, logger: createLogger('silent'), storage: new MemoryStorage() });
  const app = makeApp({ adapter: new CentreAdapter(), bot, logger: createLogger('silent'), routers: [directLine.router] });
  const server = await listen(app, (req, socket, head) => {
    if (!directLine.upgrade(req, socket, head)) socket.destroy();
  });
  return { directLine, baseUrl: server.baseUrl, close: async () => { directLine.close(); await server.close(); } };
}

/** Opens a stream; collects what it pushes; resolves when open, rejects with the refusal's status. */
function stream(url: string): Promise<{ ws: WebSocket; got: DlActivity[]; closed: Promise<number> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const got: DlActivity[] = [];
    const closed = new Promise<number>((r) => ws.on('close', (code) => r(code)));
    ws.on('message', (data) => got.push(...(JSON.parse(String(data)) as { activities: DlActivity[] }).activities));
    ws.on('open', () => resolve({ ws, got, closed }));
    ws.on('unexpected-response', (_req, res) => reject(new Error(String(res.statusCode))));
    ws.on('error', reject);
  });
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

let served: Awaited<ReturnType<typeof serve>> | undefined;
afterEach(async () => {
  await served?.close();
  served = undefined;
});

describe('the WebSocket stream', () => {
  test('POST /conversations names a stream that pushes the user\'s activity and the reply as they happen', async () => {
    served = await serve();
    const dl = new DirectLineClient(served.baseUrl);
    await dl.grant();
    const started = await dl.request('POST', '/v3/directline/conversations', { locale: 'lv-LV' });
    const streamUrl = String(started.body.streamUrl);
    expect(streamUrl).toMatch(new RegExp(`^ws://127\\.0\\.0\\.1:\\d+/v3/directline/conversations/${dl.conversationId}/stream\\?watermark=&t=`));
    const { ws, got } = await stream(streamUrl);
    await dl.say('hello');
    await until(() => got.some((a) => a.text === 'echo: hello'), 'the echo');
    expect(got.map((a) => a.text)).toEqual(['hello', 'echo: hello']);
    ws.close();
  });

  test('resuming (GET /conversations/:id?watermark=N) streams only what came after N', async () => {
    served = await serve();
    const dl = new DirectLineClient(served.baseUrl);
    await dl.grant();
    await dl.start();
    await dl.say('one');
    await dl.waitFor((a) => a.text === 'echo: one');
    const resumed = await dl.request('GET', `/v3/directline/conversations/${dl.conversationId}?watermark=${dl.watermark}`);
    const { ws, got } = await stream(String(resumed.body.streamUrl));
    await dl.say('two');
    await until(() => got.some((a) => a.text === 'echo: two'), 'the second echo');
    expect(got.map((a) => a.text)).toEqual(['two', 'echo: two']);
    ws.close();
  });

  test('no token, another conversation\'s token, or a bad watermark: refused before the upgrade', async () => {
    served = await serve();
    const a = new DirectLineClient(served.baseUrl);
    await a.grant();
    await a.start();
    const b = new DirectLineClient(served.baseUrl);
    await b.grant();
    await b.start();
    const base = `${served.baseUrl.replace('http', 'ws')}/v3/directline/conversations/${a.conversationId}/stream`;
    await expect(stream(`${base}?watermark=`)).rejects.toThrow('401');
    await expect(stream(`${base}?watermark=&t=${b.token}`)).rejects.toThrow('403');
    await expect(stream(`${base}?watermark=1e%2B23&t=${a.token}`)).rejects.toThrow('400');
  });

  test('erasing the conversation ends its stream', async () => {
    served = await serve();
    const dl = new DirectLineClient(served.baseUrl);
    await dl.grant();
    const started = await dl.request('POST', '/v3/directline/conversations', {});
    const { closed } = await stream(String(started.body.streamUrl));
    await served.directLine.erase(dl.conversationId);
    expect(await closed).toBe(1000);
  });
});
