import { readFileSync } from 'node:fs';
import type { TurnOutcome } from '../storage/transcriptStore';

/** One line of an answer-level evaluation set (test/answers/FORMAT.md). */
export interface AnswerLine {
  id: string;
  lang: 'lv' | 'en';
  kind: string;
  q?: string;
  turns?: string[];
  must: string[][];
  not?: string[];
  start?: 'yes' | 'no';
}

export type Cause = 'pass' | 'invented fact' | 'wrong language' | 'guide instead of answer' | 'clarification' | 'refusal' | 'no yes/no first' | 'fact buried' | 'wrong topic';
export interface Verdict { pass: boolean; cause: Cause; detail: string }

export const FIRST_CHARS = 300;

const FOLD: Record<string, string> = { ā: 'a', č: 'c', ē: 'e', ģ: 'g', ī: 'i', ķ: 'k', ļ: 'l', ņ: 'n', š: 's', ū: 'u', ž: 'z' };

/** Lowercase, diacritics folded, one kind of dash and space, times as H:MM, no spaces inside phone digits. */
export function normalizeForScoring(text: string): string {
  return text.normalize('NFC').toLowerCase()
    .replace(/[āčēģīķļņšūž]/g, (c) => FOLD[c] ?? c)
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/\s+/g, ' ')
    .replace(/\b0?(\d{1,2})[.:](\d{2})\b/g, '$1:$2')
    .replace(/(\+?\d)[ \u00a0](?=\d)/g, '$1');
}

export function readAnswerLines(file: string): AnswerLine[] {
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l, i) => {
    const v = JSON.parse(l) as AnswerLine;
    if (!v.id || !['lv', 'en'].includes(v.lang) || !(v.q || v.turns?.length) || !Array.isArray(v.must)) {
      throw new Error(`${file}:${i + 1}: needs id, lang, q or turns, must`);
    }
    return v;
  });
}

const LATVIAN = /[āčēģīķļņšūž]/i;
const YES = { lv: /^(ja|jā)(?!\p{L})/iu, en: /^yes(?!\p{L})/iu };
const NO = { lv: /^(ne|nē)(?!\p{L})/iu, en: /^no(?!\p{L})/iu };

/** The verdict on one reply; the cause names the first thing that went wrong, as a user would see it. */
export function scoreReply(line: AnswerLine, reply: string, outcome?: TurnOutcome): Verdict {
  const all = normalizeForScoring(reply);
  const first = normalizeForScoring(reply.slice(0, FIRST_CHARS));
  const invented = (line.not ?? []).map(normalizeForScoring).filter((s) => s && all.includes(s));
  if (invented.length) return { pass: false, cause: 'invented fact', detail: `has "${invented.join('", "')}"` };
  const groups = line.must.map((g) => g.map(normalizeForScoring));
  const missingFirst = groups.filter((g) => !g.some((s) => first.includes(s)));
  const missingAll = groups.filter((g) => !g.some((s) => all.includes(s)));
  const lead = reply.trimStart();
  const startOk = !line.start || (line.start === 'yes' ? YES : NO)[line.lang].test(lead);
  // an English reply to an English message has no Latvian letters in its first sentence
  const firstSentence = lead.split(/(?<=[.!?])\s/)[0] ?? '';
  const langOk = line.lang === 'lv' ? true : !LATVIAN.test(firstSentence.replace(/“[^”]*”|"[^"]*"|Bruņinieku|Čiekurkalna|Rīga|Latvija\.lv|aizbildņi|aizgādni[sņ]\w*|aizgādnība/g, ''));
  if (missingFirst.length === 0 && startOk && langOk) return { pass: true, cause: 'pass', detail: '' };
  const detail = missingFirst.length ? `missing in the first ${FIRST_CHARS}: ${missingFirst.map((g) => g.join('|')).join('; ')}` : (startOk ? 'language' : `does not start with ${line.start}`);
  if (!langOk) return { pass: false, cause: 'wrong language', detail };
  if (outcome === 'guide_started') return { pass: false, cause: 'guide instead of answer', detail };
  if (outcome === 'clarified') return { pass: false, cause: 'clarification', detail };
  if (outcome === 'fallback' && line.kind !== 'silent') return { pass: false, cause: 'refusal', detail };
  if (missingFirst.length === 0) return { pass: false, cause: 'no yes/no first', detail };
  if (missingAll.length === 0) return { pass: false, cause: 'fact buried', detail };
  return { pass: false, cause: 'wrong topic', detail };
}
