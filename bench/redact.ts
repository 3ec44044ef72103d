/**
 * Redaction time on 1 MB adversarial strings (one per pattern's worst case) and on a normal
 * message: `npm run bench:redact`. Each input is redacted REPEAT times; the median is printed.
 */
import { adversarialInputs } from '../privacy/adversarial';
import { redact } from '../privacy/redact';

const REPEAT = Number(process.env.BENCH_REDACT_REPEAT ?? 5);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time(text: string): number {
  const runs: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    const t = process.hrtime.bigint();
    redact(text);
    runs.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return median(runs);
}

const normal = 'Labdien! Mans personas kods ir 161175-19997, tālr. 29123456, e-pasts janis@inbox.lv. Kā saņemt izziņu?';
const rows: Array<[string, number]> = [['normal message (104 chars), x1000', time(normal.repeat(1000))]];
for (const [name, text] of adversarialInputs()) rows.push([`1 MB: ${name}`, time(text)]);
for (const [name, ms] of rows) console.log(`${name.padEnd(52)} ${ms.toFixed(1).padStart(8)} ms`);
console.log(`worst: ${Math.max(...rows.map(([, ms]) => ms)).toFixed(1)} ms (node ${process.version}, median of ${REPEAT})`);
