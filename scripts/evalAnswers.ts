/**
 * npm run eval:answers -- [FILE.jsonl ...] [--show N] [--now ISO] [--json OUT]
 * Scores what the user reads, not the intent: each line is a question (or a short conversation
 * judged on its last reply) with groups of substrings, one of each group to be found in the first
 * 300 characters of the reply, and substrings that must not appear anywhere. Prints the pass rate
 * per language and kind, the failures by cause, and the median reply length.
 * The format: test/answers/FORMAT.md.
 */
import { writeFileSync } from 'node:fs';
import { createCore } from '../server/assistant';
import { createLogger } from '../server/logger';
import { readAnswerLines, scoreReply, type AnswerLine, type Verdict } from './answerScoring';
import { ANSWER_EVAL_NOW, askCore } from './answerRun';

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const show = Number(flag('--show') ?? 0);
// a Wednesday, 11:30 in Riga: open, so that hours answers do not depend on when the eval runs
const now = flag('--now') ?? ANSWER_EVAL_NOW;
const jsonOut = flag('--json');
const files = args.length ? args : ['test/answers/eval.jsonl'];

const core = createCore({ logger: createLogger('silent'), clock: () => new Date(now) });

let n = 0;
const run = (line: AnswerLine) => askCore(core, line, `eval-${++n}`);

const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(1)}%` : 'n/a');
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : 0;
};

async function main(): Promise<void> {
  const all: Array<{ line: AnswerLine; verdict: Verdict; reply: string; file: string }> = [];
  for (const file of files) {
    for (const line of readAnswerLines(file)) {
      const { reply, outcome } = await run(line);
      all.push({ line, verdict: scoreReply(line, reply, outcome), reply, file });
    }
  }
  const by = (key: (x: (typeof all)[number]) => string) => {
    const m = new Map<string, [number, number]>();
    for (const x of all) {
      const k = key(x);
      const v = m.get(k) ?? [0, 0];
      v[1]++;
      if (x.verdict.pass) v[0]++;
      m.set(k, v);
    }
    return [...m].sort(([a], [b]) => a.localeCompare(b));
  };
  console.log(`answers: ${files.join(', ')} (${all.length} lines, clock ${now})`);
  for (const [k, [p, t]] of by((x) => x.line.lang)) console.log(`  ${k}: ${pct(p, t)} (${p}/${t})`);
  const followups = all.filter((x) => x.line.turns && x.line.turns.length > 1);
  console.log(`  conversations (judged on the last reply): ${pct(followups.filter((x) => x.verdict.pass).length, followups.length)} (${followups.filter((x) => x.verdict.pass).length}/${followups.length})`);
  console.log('by kind:');
  for (const [k, [p, t]] of by((x) => `${x.line.kind} ${x.line.lang}`)) console.log(`  ${k.padEnd(14)} ${pct(p, t).padStart(6)} (${p}/${t})`);
  const causes = new Map<string, number>();
  for (const x of all) if (!x.verdict.pass) causes.set(x.verdict.cause, (causes.get(x.verdict.cause) ?? 0) + 1);
  console.log('failures by cause:');
  for (const [c, k] of [...causes].sort((a, b) => b[1] - a[1])) console.log(`  ${c}: ${k}`);
  const single = all.filter((x) => ['fact', 'yesno', 'faq'].includes(x.line.kind));
  console.log(`median reply length, single-fact questions (fact, yesno, faq): ${median(single.map((x) => x.reply.length))} characters`);
  console.log(`median reply length, all: ${median(all.map((x) => x.reply.length))} characters`);
  if (show) {
    console.log(`\nfirst ${show} failures:`);
    for (const x of all.filter((y) => !y.verdict.pass).slice(0, show)) {
      console.log(`--- ${x.line.id} [${x.line.kind}/${x.line.lang}] ${x.verdict.cause}: ${x.verdict.detail}`);
      console.log(`Q: ${(x.line.turns ?? [x.line.q]).join(' | ')}`);
      console.log(`A: ${x.reply.slice(0, 400).replace(/\n/g, ' / ')}`);
    }
  }
  if (jsonOut) writeFileSync(jsonOut, JSON.stringify(all.map((x) => ({ id: x.line.id, pass: x.verdict.pass, cause: x.verdict.cause, reply: x.reply })), null, 1));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
