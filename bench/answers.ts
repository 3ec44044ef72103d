/**
 * `npm run bench:answers`: what the second stage (choosing the fact; AnswerBook.forIntent with the
 * message) costs a turn, in process, over every question of the answer-eval sets: each message is
 * recognized once, then the second stage is timed alone, many rounds. Compare with the NLU's own
 * time printed by `npm run bench`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AnswerBook } from '../dialogs/answers';
import { loadKnowledge } from '../knowledge/loader';
import { Messages } from '../locales/i18n';
import { OUT_OF_SCOPE, type Intent } from '../nlu/intents';
import { Recognizer } from '../nlu/recognizer';
import { KNOWLEDGE_DIR, LOCALES_DIR } from '../server/paths';
import { summarize, round } from './stats';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 50);
const root = join(__dirname, '..');
const questions = ['eval.jsonl', 'heldout.jsonl'].flatMap((f) => readFileSync(join(root, 'test', 'answers', f), 'utf8').split('\n').filter(Boolean)
  .map((l) => JSON.parse(l) as { lang: 'lv' | 'en'; q?: string; turns?: string[] })
  .map((l) => ({ lang: l.lang, text: l.q ?? l.turns![l.turns!.length - 1]! })));

const recognizer = Recognizer.fromLocales(LOCALES_DIR);
const answers = new AnswerBook(loadKnowledge(KNOWLEDGE_DIR), Messages.load(LOCALES_DIR));
const cases = questions.map((q) => ({ ...q, rec: recognizer.recognize(q.text, { current: q.lang }) })).filter((c) => c.rec.intent !== OUT_OF_SCOPE);
const second = (c: (typeof cases)[number]) => answers.forIntent(c.rec.intent as Intent, c.rec.language, c.rec.entities, { text: c.text, unknown: c.rec.unknown, score: c.rec.score });
const first = (c: (typeof cases)[number]) => recognizer.recognize(c.text, { current: c.lang });

for (let w = 0; w < 5; w++) for (const c of cases) { second(c); first(c); }
const times = { second: [] as number[], nlu: [] as number[] };
for (let r = 0; r < ROUNDS; r++) {
  for (const c of cases) {
    let t0 = process.hrtime.bigint();
    first(c);
    times.nlu.push(Number(process.hrtime.bigint() - t0) / 1e6);
    t0 = process.hrtime.bigint();
    second(c);
    times.second.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
}
for (const [name, xs] of Object.entries(times)) {
  const s = summarize(xs);
  console.log(`${name === 'nlu' ? 'first stage (recognize)     ' : 'second stage (the answer)   '} ${cases.length} messages x ${ROUNDS}: median ${round(s.p50, 4)} ms, p90 ${round(s.p90, 4)} ms, p99 ${round(s.p99, 4)} ms`);
}
