// The edge check: botbuilder's ConversationState/UserState accept our stores as `Storage`
// and a restarted bot continues the conversation.
import { ConversationState, TestAdapter, UserState, type Storage as BotStorage, type TurnContext } from 'botbuilder';
import { DiskStorage } from '../../storage/diskStorage';
import { RedisStorage } from '../../storage/redisStorage';
import { RedisServer, describeWithRedis } from '../support/redisServer';
import { closeClient, connectClient, tempDir, uniquePrefix, type TestRedisClient } from './helpers';

function counterBot(storage: BotStorage): TestAdapter {
  const conversationState = new ConversationState(storage);
  const userState = new UserState(storage);
  const turns = conversationState.createProperty<number>('turns');
  const name = userState.createProperty<string>('name');
  const logic = async (ctx: TurnContext): Promise<void> => {
    const n = (await turns.get(ctx, 0)) + 1;
    await turns.set(ctx, n);
    if (ctx.activity.text?.startsWith('name ')) await name.set(ctx, ctx.activity.text.slice(5));
    await ctx.sendActivity(`turn ${n}, ${(await name.get(ctx)) ?? 'anonymous'}`);
    await conversationState.saveChanges(ctx);
    await userState.saveChanges(ctx);
  };
  return new TestAdapter(logic, { channelId: 'test', conversation: { id: 'conv-1', isGroup: false, conversationType: 'personal', name: '' }, from: { id: 'user-1', name: 'U' } });
}

async function restartScenario(open: () => BotStorage): Promise<void> {
  await counterBot(open()).send('hi').assertReply('turn 1, anonymous').send('name Ilze').assertReply('turn 2, Ilze');
  await counterBot(open()).send('hello again').assertReply('turn 3, Ilze');
}

test('DiskStorage works under ConversationState/UserState across a restart', async () => {
  const tmp = tempDir();
  try {
    await restartScenario(() => new DiskStorage({ dataDir: tmp.dir }));
  } finally {
    tmp.remove();
  }
});

describeWithRedis('RedisStorage under botbuilder', () => {
  let server: RedisServer;
  const clients: TestRedisClient[] = [];
  beforeAll(async () => {
    server = await RedisServer.start();
  });
  afterAll(async () => {
    await Promise.all(clients.map(closeClient));
    await server?.destroy();
  });

  test('works under ConversationState/UserState across a restart', async () => {
    const keyPrefix = uniquePrefix();
    clients.push(await connectClient(server.url), await connectClient(server.url));
    let i = 0;
    await restartScenario(() => new RedisStorage(clients[i++ % 2]!, { keyPrefix }));
  });
});
