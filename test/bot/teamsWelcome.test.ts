import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAssistant, type Assistant } from '../../server/assistant';
import { loadConfig } from '../../server/config';
import { createLogger } from '../../server/logger';
import { HttpBot, texts } from '../support/httpBot';
import { sharedRecognizer } from '../support/testBot';

/**
 * Teams sends two activities when a user installs the app: an installationUpdate (add) and a
 * conversationUpdate naming the members. Over real HTTP, as Teams would post them: the user gets
 * one welcome, in the locale Teams gave (the activity's, or its clientInfo's).
 */
const WELCOME_LV = /Labdien! Esmu Iekšlietu ministrijas Informācijas centra virtuālais asistents/;
const WELCOME_EN = /I am the virtual assistant/;
const dataDir = mkdtempSync(join(tmpdir(), 'teams-welcome-'));
let assistant: Assistant;
let http: HttpBot;
let installs = 0;

beforeAll(async () => {
  assistant = createAssistant(loadConfig({ DATA_DIR: dataDir }), { logger: createLogger('silent'), recognizer: sharedRecognizer() });
  http = await HttpBot.start(assistant.app);
});

afterAll(async () => {
  await http.close();
  await assistant.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** What the user sees after an install: every reply text of both activities. */
async function install(locale: string | undefined, entities: unknown[] = []): Promise<string[]> {
  installs += 1;
  const bot = { id: '28:bot', name: 'IeM IC' };
  const user = { id: `29:user-${installs}`, name: 'Anna', aadObjectId: `00000000-0000-0000-0000-${String(installs).padStart(12, '0')}` };
  const common = {
    channelId: 'msteams', serviceUrl: 'http://127.0.0.1:1', deliveryMode: 'expectReplies', recipient: bot, from: user,
    conversation: { id: `a:personal-${installs}`, conversationType: 'personal' }, entities, ...(locale ? { locale } : {}),
    channelData: { tenant: { id: 'tenant' } },
  };
  const replies: string[] = [];
  for (const activity of [
    { ...common, id: `i${installs}`, type: 'installationUpdate', action: 'add' },
    { ...common, id: `c${installs}`, type: 'conversationUpdate', membersAdded: [bot, user] },
  ]) {
    const { status, activities } = await http.post(activity);
    expect(status).toBe(200);
    replies.push(...activities.map((a) => texts([a])));
  }
  return replies.filter((r) => WELCOME_LV.test(r) || WELCOME_EN.test(r));
}

describe('Teams install', () => {
  test.each([
    ['lv-LV', WELCOME_LV],
    ['en-US', WELCOME_EN],
    ['en-GB', WELCOME_EN],
  ])('one welcome, in the user\'s locale (%s)', async (locale, expected) => {
    const welcomes = await install(locale);
    expect(welcomes).toHaveLength(1);
    expect(welcomes[0]).toMatch(expected);
  });

  test('the locale from Teams\' clientInfo when the activity has none', async () => {
    const welcomes = await install(undefined, [{ type: 'clientInfo', locale: 'en-US', country: 'LV', platform: 'Web' }]);
    expect(welcomes).toHaveLength(1);
    expect(welcomes[0]).toMatch(WELCOME_EN);
  });

  test('other channels still greet a member who joins', async () => {
    const { activities } = await http.post({
      type: 'conversationUpdate', id: 'w1', channelId: 'webchat', serviceUrl: 'http://127.0.0.1:1', deliveryMode: 'expectReplies',
      recipient: { id: 'bot' }, from: { id: 'u-web' }, conversation: { id: 'web-1' }, membersAdded: [{ id: 'u-web' }], locale: 'lv-LV',
    });
    expect(texts(activities)).toMatch(WELCOME_LV);
  });
});
