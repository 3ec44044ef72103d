import type { TranscriptRecord } from '../storage/transcriptStore';
import type { ConversationRow } from './conversations';

export type ExportShape = 'conversations' | 'turns';
export type ExportFormat = 'csv' | 'json';

export type TurnRow = {
  conversationId: string;
  seq: number | '';
  timestamp: string;
  from: 'user' | 'bot';
  channelId: string;
  language: string;
  intent: string;
  score: number | '';
  runnerUp: string;
  outcome: string;
  text: string;
  topic: string;
  facts: string;
  sections: string;
};

export function turnRows(records: TranscriptRecord[]): TurnRow[] {
  return records.map((r) => ({
    conversationId: r.conversationId,
    seq: r.seq ?? '',
    timestamp: r.timestamp,
    from: r.from,
    channelId: r.channelId,
    language: r.language ?? '',
    intent: r.intent ?? '',
    score: r.score ?? '',
    runnerUp: r.runnerUp ? `${r.runnerUp.intent} ${r.runnerUp.score}` : '',
    outcome: r.outcome ?? '',
    text: r.text ?? '',
    topic: r.provenance?.topic ?? '',
    facts: r.provenance?.facts.join(' ') ?? '',
    sections: r.provenance?.sections.join(' ') ?? '',
  }));
}

export function conversationRows(rows: ConversationRow[]): Array<Record<string, string | number | boolean>> {
  return rows.map((r) => ({
    conversationId: r.conversationId,
    channelId: r.channelId,
    firstTimestamp: r.firstTimestamp,
    lastTimestamp: r.lastTimestamp,
    userMessages: r.userMessages,
    languages: r.languages.join(' '),
    intents: r.intents.join(' '),
    outcomes: r.outcomes.join(' '),
    firstQuestion: r.firstQuestion,
    thumbsUp: r.up,
    thumbsDown: r.down,
    csat: r.csat ?? '',
    comments: r.comments,
    reviewed: r.reviewed,
    verdict: r.verdict ?? '',
    tags: r.tags.join(' '),
  }));
}

/** RFC 4180 CSV; a cell that a spreadsheet would run as a formula gets a leading apostrophe. */
export function toCsv(rows: Array<Record<string, unknown>>, columns?: string[]): string {
  const cols = columns ?? Object.keys(rows[0] ?? {});
  const cell = (v: unknown): string => {
    let s = v === undefined || v === null ? '' : String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [cols.join(','), ...rows.map((r) => cols.map((c) => cell(r[c])).join(','))].join('\r\n') + '\r\n';
}
