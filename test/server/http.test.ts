import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAssistant } from '../../server/assistant';
import { loadConfig } from '../../server/config';
import { createLogger } from '../../server/logger';
import { HttpBot, texts } from '../support/httpBot';

/**
 * The assistant over the real Bot Framework protocol: activities POSTed to /api/messages with
 * deliveryMode "expectReplies", the replies read from the HTTP response.
 */
let bot: HttpBot;
let n = 0;
const fresh = () => `conv-${Date.now()}-${n++}`;

beforeAll(async () => {
  const assistant = createAssistant(loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'http-test-')) }), { logger: createLogger('silent') });
  bot = await HttpBot.start(assistant.app);
});
afterAll(async () => bot.close());

// [question, expected in the answer] — one per topic per language, with and without diacritics
const LATVIAN: Array<[string, RegExp[]]> = [
  ['Kur jūs atrodaties?', [/Bruņinieku iela 72B/, /Čiekurkalna/]],
  ['sodamibas izzina', [/kanceleja@ic\.iem\.gov\.lv/, /\+371 67208219/, /Latvija\.lv/]],
  ['kāds ir jūsu darba laiks?', [/Otrdiena/, /14\.00–18\.00/, /Pirmdiena/]],
  ['arhiva nodalas darba laiks', [/Čiekurkalna/, /13\.00–15\.00/, /12\.30–16\.30/]],
  ['ko ņemt līdzi, kad nāku pēc izziņas?', [/maksājuma uzdevuma/, /pases personas datu lapas kopij/]],
  ['kā uzzināt vai mani dokumenti ir saņemti', [/\+371 67208218/]],
  ['vai izziņu manā vietā var saņemt brālis?', [/notariāli/]],
  ['ka dabut arhiva izzinu?', [/miršanas/, /Iesniegums iestādei/]],
  ['arhīva izziņa par mirušu vectēvu', [/Kur vēlaties iesniegt iesniegumu/]],
  ['faksa numurs', [/\+371 67208219/]],
  ['arhīva nodaļas telefons', [/Arhīva nodaļas kontakti/, /\+371 67829000, \+371 67829007, \+371 67829017/]],
  ['kādus pakalpojumus jūs sniedzat?', [/Arhīva izziņas/, /radiosakaru/i]],
  ['kādi e-pakalpojumi ir pieejami?', [/Nederīgo dokumentu/]],
  ['kā sūdzēties par apkalpošanu?', [/pd@ic\.iem\.gov\.lv/]],
  ['cik maksā izziņa?', [/cenrādis/]],
  ['cik ilgi būs jāgaida, kamēr izziņu sagatavos?', [/nenosaka/, /\+371 67208218/]],
  ['vai drīkst filmēt pie jums?', [/filmējiet|nefilmē|filmēt/]],
  ['kas ir Informācijas centrs?', [/tiešās pārvaldes iestāde/]],
  ['ka parbaudit un samaksat administrativo sodu', [/Administratīvo sodu pārbaude un nomaksa/]],
  ['vai mana pase ir nederīgo dokumentu reģistrā?', [/Nederīgo dokumentu reģistr/]],
  ['ieroču atļaujas pārbaude', [/Ieroču/]],
  ['ar ko es runāju? vai tu esi cilvēks?', [/virtuālais asistents/]],
  ['paldies!', [/Lūdzu/]],
  ['kādas ir jūsu vērtības un kā darbinieki apkalpo klientus?', [/Profesionalitāte/]],
  ['man atteica pakalpojumu, kāds ir pamatojums?', [/normatīv/]],
  ['kas ir izvietots informācijas stendā?', [/cenrādis/, /traucējum/i]],
  ['izziņa par maniem administratīvajiem sodiem', [/administratīv/i, /Latvija\.lv/]],
  ['izziņa uzņēmumam par piespiedu ietekmēšanas līdzekļiem', [/juridisk/, /Latvija\.lv/]],
  ['mākslas darba kultūras objekta statusa noteikšana', [/Kultūras objekt/]],
  ['noziedzības karte', [/kart/]],
  ['mani biometrijas dati', [/Biometrijas datu apstrādes sistēm/]],
  ['tiešsaistes datu pārraide no Sodu reģistra', [/tiešsaistes/]],
  ['datu apmaiņas moduļu izstrāde', [/datu apmaiņas/i]],
  ['statistikas pieprasīšana', [/statistisk/i]],
  ['radiosakaru sistēma', [/radiosakaru/i]],
];

const ENGLISH: Array<[string, RegExp[]]> = [
  ['What are your opening hours?', [/Monday/, /Tuesday/, /10:00–13:00/, /14:00–18:00/]],
  ['where are you located', [/Bruņinieku iela 72B/]],
  ['How do I get a criminal record certificate?', [/kanceleja@ic\.iem\.gov\.lv/, /Latvija\.lv/]],
  ['what do i need to bring when I pick up my certificate', [/payment order/, /passport/]],
  ['how can I check that you got my documents', [/\+371 67208218/]],
  ['can my mother collect the certificate for me?', [/notari/]],
  ['how do I get an archive certificate', [/death/, /Iesniegums iestādei/]],
  ['I need an archive certificate about my late father', [/Where would you like to submit/]],
  ['what is your phone number', [/\+371 67208218/]],
  ['what services do you provide', [/Archive certificate|archive certificates/i]],
  ['how can I leave feedback', [/pd@ic\.iem\.gov\.lv/]],
  ['how much does the certificate cost', [/price list/]],
  ['how many days until my certificate is ready?', [/does not state/, /kanceleja@ic\.iem\.gov\.lv/]],
  ['I don\'t speak Latvian, can I bring an interpreter?', [/translat|interpret/i]],
  ['check a document in the invalid documents register', [/invalid documents/i]],
  ['who are you', [/virtual assistant/]],
  ['archive department opening hours', [/Čiekurkalna/, /13:00–15:00/]],
  ['which e-services can I use online?', [/Latvija\.lv/, /invalid documents/i]],
  ['what are the values of your staff', [/Professionalism/]],
  ['what is on the information board at the reception', [/price list/, /[Dd]isruptions/]],
  ['what is the Information Centre', [/Ministry of the Interior/]],
  ['may I film inside your office', [/film/]],
  ['how do I pay my speeding fine', [/fines/i]],
  ['a certificate of administrative penalties for myself', [/administrative penalties/i]],
  ['certificate about coercive measures applied to my company', [/legal person/i]],
  ['is this painting a cultural object', [/cultural object/i]],
  ['crime map', [/map/]],
  ['what biometric data do you keep about me', [/Biometric Data Processing System/]],
  ['weapon licence check', [/[Ww]eapon/]],
  ['online data transfer from the Punishment Register for our institution', [/Punishment Register/]],
  ['we want to develop a data exchange module', [/data exchange/i]],
  ['I need crime statistics from your systems', [/[Ss]tatistic/]],
  ['radio communication system', [/radio/i]],
  ['thank you!', [/welcome/]],
];

describe('POST /api/messages with expectReplies', () => {
  test.each(LATVIAN)('Latvian: %s', async (question, expected) => {
    const reply = texts(await bot.say(fresh(), question));
    for (const re of expected) expect(reply).toMatch(re);
    expect(reply).toMatch(/[āēīūčšžņļķģ]/);
  });

  test.each(ENGLISH)('English: %s', async (question, expected) => {
    const reply = texts(await bot.say(fresh(), question, { locale: 'en-US' }));
    for (const re of expected) expect(reply).toMatch(re);
    expect(reply).not.toMatch(/Atvainojiet|Lūdzu/);
  });

  test('an out-of-scope question gets an honest answer with the Centre\'s phone and e-mail, in its language', async () => {
    const lv = texts(await bot.say(fresh(), 'kāds būs laiks rīt Rīgā?'));
    expect(lv).toMatch(/nevaru atbildēt/);
    expect(lv).toMatch(/\+371 67208218/);
    expect(lv).toMatch(/kanceleja@ic\.iem\.gov\.lv/);
    const en = texts(await bot.say(fresh(), 'how do I renew my driving licence?', { locale: 'en-US' }));
    expect(en).toMatch(/can't answer/);
    expect(en).toMatch(/\+371 67208218/);
  });

  test('the language follows the question, and an explicit switch sticks', async () => {
    const conv = fresh();
    expect(texts(await bot.say(conv, 'Where is the Centre?'))).toMatch(/The Centre's address/);
    expect(texts(await bot.say(conv, 'latviski lūdzu'))).toMatch(/turpināsim latviski/);
    expect(texts(await bot.say(conv, 'phone'))).toMatch(/Tālrunis/);
    expect(texts(await bot.say(conv, 'English please'))).toMatch(/continue in English/);
    expect(texts(await bot.say(conv, 'kur jūs atrodaties?'))).toMatch(/The Centre's address/);
  });

  test('a short undecided message keeps the conversation\'s language', async () => {
    const conv = fresh();
    expect(texts(await bot.say(conv, 'What are your opening hours?'))).toMatch(/Monday/);
    expect(texts(await bot.say(conv, 'fax?'))).toMatch(/Fax/);
  });

  test('a welcome when a user joins, in Latvian with an English hint, with the main topics', async () => {
    const conv = fresh();
    const { activities } = await bot.post({
      type: 'conversationUpdate', membersAdded: [{ id: 'user-1' }], from: { id: 'user-1' }, recipient: { id: 'bot' },
      conversation: { id: conv }, channelId: 'webchat', serviceUrl: 'http://127.0.0.1:1', deliveryMode: 'expectReplies',
    });
    expect(texts(activities)).toMatch(/Labdien/);
    expect(texts(activities)).toMatch(/English/);
    expect(activities[0]!.suggestedActions!.actions.map((a) => a.title)).toEqual(expect.arrayContaining(['Izziņa par sodāmību', 'Adrese']));
  });

  test('a suggested action sends its title back and gets that topic', async () => {
    const conv = fresh();
    const [menu] = await bot.say(conv, 'palīdzība');
    const action = menu!.suggestedActions!.actions.find((a) => a.title === 'Pieņemšanas laiks')!;
    expect(texts(await bot.say(conv, String(action.value)))).toMatch(/Pirmdiena/);
  });

  test('bad input gets a clear HTTP error, not a crash', async () => {
    const notJson = await fetch(`${bot.baseUrl}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type":' });
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: string }).error).toMatch(/invalid JSON/);
    const notActivity = await bot.post({ hello: 'world' });
    expect(notActivity.status).toBe(400);
    const health = await fetch(`${bot.baseUrl}/healthz`);
    expect(health.status).toBe(200);
  });

  test('an empty or very long message gets a polite answer', async () => {
    expect(texts(await bot.say(fresh(), ''))).toMatch(/teksta ziņas/);
    expect(texts(await bot.say(fresh(), 'a'.repeat(5000)))).toMatch(/ļoti gara/);
  });
});
