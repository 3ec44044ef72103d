/**
 * Personal data must not reach storage or logs. A seeded corpus of Latvian personal codes,
 * phone numbers and e-mail addresses, inside realistic messages in both languages, goes
 * through the real assistant on both back-ends (disk and Redis) at LOG_LEVEL=debug; then
 * every Redis key and value, Redis's own append-only file, every file under the data folders
 * and the captured stdout/stderr are searched for any of it.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BotProcess } from '../support/botProcess';
import { RedisServer, describeWithRedis } from '../support/redisServer';
import { closeRaw, connectRaw, scanAll, type RawRedis } from '../support/redisScan';
import { mulberry32 as prng } from '../../nlu/random';

const SEED = 20250117;
const CONVERSATIONS = 12;
const TURNS = 8;
const RUN = `rd${Date.now().toString(36)}`;


type Kind = 'personalCode' | 'phone' | 'email';
interface Secret {
  kind: Kind;
  form: string;
  /** As written in the message. */
  value: string;
  /** What else would give it away if stored: digits only, the national number, the mailbox name. */
  needles: string[];
}
interface CorpusMessage {
  conversation: number;
  turn: number;
  text: string;
  /** A harmless tag to prove the message was stored (and so that the scan looked in the right place). */
  tag: string;
  secrets: Secret[];
}

function makeCorpus(seed: number): CorpusMessage[] {
  const rnd = prng(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const digits = (n: number) => Array.from({ length: n }, () => int(10)).join('');
  const pad = (n: number) => String(n).padStart(2, '0');
  const onlyDigits = (s: string) => s.replace(/\D/g, '');

  const personalCode = (): Secret => {
    const form = pick(['old-hyphen', 'old-plain', 'new-hyphen', 'new-plain'] as const);
    let value: string;
    if (form.startsWith('old')) {
      const date = `${pad(1 + int(28))}${pad(1 + int(12))}${pad(int(100))}`;
      value = `${date}${form === 'old-hyphen' ? '-' : ''}${int(3)}${digits(4)}`;
    } else {
      value = `32${digits(4)}${form === 'new-hyphen' ? '-' : ''}${digits(5)}`;
    }
    return { kind: 'personalCode', form, value, needles: [value, onlyDigits(value)] };
  };
  const phone = (): Secret => {
    const form = pick(['+371 2xxxxxxx', '+3712xxxxxxx', '2xxx xxxx', '2xxxxxxx', '6xxxxxxx', '+44 20 xxxx xxxx', '+44 7xxx xxxxxx'] as const);
    let value: string;
    let national: string;
    switch (form) {
      case '+371 2xxxxxxx':
      case '+3712xxxxxxx':
        national = `2${digits(7)}`;
        value = form === '+371 2xxxxxxx' ? `+371 ${national}` : `+371${national}`;
        break;
      case '2xxx xxxx':
        national = `2${digits(7)}`;
        value = `${national.slice(0, 4)} ${national.slice(4)}`;
        break;
      case '2xxxxxxx':
        value = national = `2${digits(7)}`;
        break;
      case '6xxxxxxx':
        value = national = `6${digits(7)}`;
        break;
      case '+44 20 xxxx xxxx':
        national = `20${digits(8)}`;
        value = `+44 20 ${national.slice(2, 6)} ${national.slice(6)}`;
        break;
      case '+44 7xxx xxxxxx':
        national = `7${digits(9)}`;
        value = `+44 ${national.slice(0, 4)} ${national.slice(4)}`;
        break;
    }
    return { kind: 'phone', form, value, needles: [value, onlyDigits(value), national] };
  };
  const email = (): Secret => {
    const first = pick(['janis', 'ilze', 'anna', 'peteris', 'liga', 'andris', 'john', 'maria', 'olga', 'kristaps']);
    const last = pick(['berzins', 'ozola', 'kalnina', 'liepa', 'smith', 'garcia', 'ivanova', 'krumins']);
    const local = pick([`${first}.${last}${10 + int(90)}`, `${first}${last}${100 + int(900)}`, `${first[0]}.${last}.${int(10)}${int(10)}`]);
    const domain = pick(['inbox.lv', 'gmail.com', 'example.lv', 'mail.co.uk', 'outlook.com', 'apollo.lv']);
    const value = `${local}@${domain}`;
    return { kind: 'email', form: 'email', value, needles: [value, value.toLowerCase(), `${local}@`] };
  };

  type Template = (s: { pc: () => string; ph: () => string; em: () => string }) => string;
  const templates: Template[] = [
    (s) => `Labdien! Mans personas kods ir ${s.pc()}. Vai varu pasūtīt izziņu par sodāmību?`,
    (s) => `Lūdzu, atzvaniet man uz ${s.ph()}, gribu uzzināt par arhīva izziņu.`,
    (s) => `Sūtu savus datus: ${s.pc()}, tālr. ${s.ph()}, e-pasts ${s.em()}`,
    (s) => `Mana e-pasta adrese ir ${s.em()}, vai jūs varat atsūtīt atbildi uz to?`,
    (s) => `Personas kods ${s.pc()} — kur var saņemt izziņu?`,
    (s) => `Zvaniet ${s.ph()} vai rakstiet ${s.em()}, paldies!`,
    (s) => `Vai izziņu varētu sūtīt uz ${s.em()}? Mans kods ${s.pc()}, tālrunis ${s.ph()}.`,
    (s) => `Hello, my personal code is ${s.pc()}, how do I get a criminal record certificate?`,
    (s) => `Please call me back on ${s.ph()}.`,
    (s) => `My details: ${s.pc()}, phone ${s.ph()}, email ${s.em()}.`,
    (s) => `You can reach me at ${s.em()} or ${s.ph()}.`,
    (s) => `I am a foreigner, my Latvian personal code is ${s.pc()}. Where are you located?`,
    (s) => `My UK number is ${s.ph()}, can you send the certificate to ${s.em()}?`,
  ];

  const messages: CorpusMessage[] = [];
  for (let c = 0; c < CONVERSATIONS; c++) {
    for (let t = 1; t <= TURNS; t++) {
      const secrets: Secret[] = [];
      const use = (make: () => Secret) => () => {
        const s = make();
        secrets.push(s);
        return s.value;
      };
      const tag = `ref ${c}-${t}`;
      const text = `${pick(templates)({ pc: use(personalCode), ph: use(phone), em: use(email) })} (${tag})`;
      messages.push({ conversation: c, turn: t, text, tag, secrets });
    }
  }
  return messages;
}

/** Collapses separators between digits, so "29 12 34 56" is found as "29123456". */
const joinDigits = (s: string): string => s.replace(/(?<=\d)[\s\-.()/\u2010\u2013]+(?=\d)/g, '');

interface Haystack {
  where: string;
  text: string;
}

function filesUnder(dir: string): string[] {
  let out: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names) {
    const full = path.join(dir, name);
    const st = statSync(full);
    if (st.isDirectory()) out = out.concat(filesUnder(full));
    else if (st.isFile()) out.push(full);
  }
  return out;
}

function findLeaks(corpus: CorpusMessage[], haystacks: Haystack[]): string[] {
  const prepared = haystacks.map((h) => ({ where: h.where, raw: h.text, lower: h.text.toLowerCase(), joined: joinDigits(h.text) }));
  const leaks: string[] = [];
  for (const m of corpus) {
    for (const s of m.secrets) {
      for (const needle of new Set(s.needles)) {
        const digitNeedle = /^\d+$/.test(needle);
        for (const h of prepared) {
          const hit = digitNeedle ? h.joined.includes(needle) : h.raw.includes(needle) || h.lower.includes(needle.toLowerCase());
          if (hit) leaks.push(`${s.kind} (${s.form}) "${s.value}" found as "${needle}" in ${h.where}`);
        }
      }
    }
  }
  return [...new Set(leaks)];
}

function sendCorpus(bot: BotProcess, corpus: CorpusMessage[], prefix: string): Promise<void> {
  const byConversation = new Map<number, CorpusMessage[]>();
  for (const m of corpus) byConversation.set(m.conversation, [...(byConversation.get(m.conversation) ?? []), m]);
  return Promise.all(
    [...byConversation.entries()].map(async ([c, msgs]) => {
      for (const m of msgs) {
        const r = await bot.say(`${prefix}-${c}`, m.text, { locale: /[āčēģīķļņšūž]/i.test(m.text) ? 'lv-LV' : 'en-GB' });
        if (r.status !== 200 || r.activities.length === 0) throw new Error(`${bot.name}: "${m.tag}" answered ${r.status} with ${r.activities.length} replies`);
      }
    }),
  ).then(() => undefined);
}

describeWithRedis('redaction: no personal data in storage or logs, on either back-end', () => {
  const corpus = makeCorpus(SEED);
  let logDir: string;
  let redis: RedisServer;
  let raw: RawRedis | undefined;
  const bots: BotProcess[] = [];

  beforeAll(async () => {
    logDir = mkdtempSync(path.join(os.tmpdir(), 'iemic-redaction-'));
    redis = await RedisServer.start({ persist: true }); // its append-only file is searched too
  });

  afterAll(async () => {
    for (const b of bots) b.kill();
    await closeRaw(raw);
    await redis?.destroy();
    if (logDir) rmSync(logDir, { recursive: true, force: true });
  });

  test('the corpus covers every kind and form', () => {
    const forms = new Set(corpus.flatMap((m) => m.secrets.map((s) => `${s.kind}:${s.form}`)));
    expect([...forms].sort()).toEqual(
      [
        'email:email',
        'personalCode:new-hyphen', 'personalCode:new-plain', 'personalCode:old-hyphen', 'personalCode:old-plain',
        'phone:+371 2xxxxxxx', 'phone:+3712xxxxxxx', 'phone:+44 20 xxxx xxxx', 'phone:+44 7xxx xxxxxx',
        'phone:2xxx xxxx', 'phone:2xxxxxxx', 'phone:6xxxxxxx',
      ].sort(),
    );
    expect(corpus.some((m) => /[āčēģīķļņšūž]/.test(m.text))).toBe(true);
    expect(corpus.some((m) => /^(Hello|Please|My|You|I am)/.test(m.text))).toBe(true);
    // The search itself finds every item in the unredacted messages (and in a reformatted phone).
    const secrets = corpus.flatMap((m) => m.secrets);
    const found = findLeaks(corpus, [{ where: 'corpus', text: corpus.map((m) => m.text).join('\n') }]);
    expect(new Set(found.map((l) => l.split('" found as')[0])).size).toBe(new Set(secrets.map((x) => `${x.kind} (${x.form}) "${x.value}`)).size);
    const phone = secrets.find((x) => x.form === '2xxxxxxx')!.value;
    const spaced = `${phone.slice(0, 2)} ${phone.slice(2, 4)} ${phone.slice(4, 6)} ${phone.slice(6)}`;
    expect(findLeaks(corpus, [{ where: 'x', text: `{"text":"zvaniet ${spaced}"}` }]).length).toBeGreaterThan(0);
  });

  test('disk and Redis back-ends at LOG_LEVEL=debug: nothing of it in any key, value, file or log line', async () => {
    const diskData = path.join(logDir, 'data-disk');
    const redisData = path.join(logDir, 'data-redis');
    const [disk, viaRedis] = await Promise.all([
      BotProcess.start({ name: 'disk', logDir, env: { DATA_DIR: diskData, LOG_LEVEL: 'debug' } }),
      BotProcess.start({ name: 'redis', logDir, env: { DATA_DIR: redisData, REDIS_URL: redis.url, LOG_LEVEL: 'debug' } }),
    ]);
    bots.push(disk, viaRedis);
    await Promise.all([sendCorpus(disk, corpus, `${RUN}-disk`), sendCorpus(viaRedis, corpus, `${RUN}-redis`)]);
    // A clean stop flushes transcripts and the disk index, and writes the last log lines.
    const exits = await Promise.all(bots.map((b) => b.stop('SIGTERM')));
    expect(exits.map((e) => e.code)).toEqual([0, 0]);

    raw = await connectRaw(redis.url);
    const entries = await scanAll(raw);
    const redisHay: Haystack[] = entries.map((e) => ({ where: `redis ${e.type} ${e.key}`, text: [e.key, ...e.values].join('\n') }));
    const fileHay: Haystack[] = [diskData, redisData, redis.dir].flatMap(filesUnder).map((f) => ({
      where: `file ${path.relative(os.tmpdir(), f)}`,
      text: readFileSync(f, 'utf8'),
    }));
    const logHay: Haystack[] = bots.flatMap((b) => [
      { where: `${b.name} stdout`, text: readFileSync(b.stdoutFile, 'utf8') },
      { where: `${b.name} stderr`, text: readFileSync(b.stderrFile, 'utf8') },
    ]);

    // The scan looks where the messages went: every message's tag is in both stores.
    const diskFiles = fileHay.filter((h) => h.where.includes('data-disk')).map((h) => h.text).join('\n');
    const redisValues = redisHay.map((h) => h.text).join('\n');
    const aof = fileHay.filter((h) => h.where.includes('iemic-redis-')).map((h) => h.text).join('\n');
    expect(corpus.filter((m) => !diskFiles.includes(`(${m.tag})`)).map((m) => m.tag)).toEqual([]);
    expect(corpus.filter((m) => !redisValues.includes(`(${m.tag})`)).map((m) => m.tag)).toEqual([]);
    expect(aof.length).toBeGreaterThan(0);
    expect(logHay.find((h) => h.where === 'redis stdout')!.text).toMatch(/"level":"debug"|"level":"info"/);

    const leaks = findLeaks(corpus, [...redisHay, ...fileHay, ...logHay]);
    expect(leaks).toEqual([]);

    const secrets = corpus.flatMap((m) => m.secrets);
    const count = (k: Kind) => secrets.filter((s) => s.kind === k).length;
    const bytes = [...redisHay, ...fileHay, ...logHay].reduce((n, h) => n + Buffer.byteLength(h.text), 0);
    console.log(
      `redaction: ${corpus.length} messages x 2 back-ends, ${secrets.length} personal data items ` +
        `(${count('personalCode')} personal codes, ${count('phone')} phones, ${count('email')} e-mails; seed ${SEED}); ` +
        `searched ${entries.length} Redis keys, ${fileHay.length} files, ${logHay.length} logs (${(bytes / 1024).toFixed(0)} KiB): 0 found`,
    );
  }, 90_000);
});
