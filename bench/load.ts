/** Drives a bot over HTTP on loopback (deliveryMode "expectReplies", keep-alive agent), sequentially or N at a time. */
import * as http from 'node:http';
import type { Session, TurnSpec } from './workload';

export interface PhaseResult {
  concurrency: number;
  /** Turns attempted. */
  turns: number;
  ok: number;
  errors: number;
  errorKinds: Record<string, number>;
  /** Latency of each successful turn, ms. */
  latencies: number[];
  elapsedMs: number;
  /** Successful turns per second of wall time. */
  throughput: number;
  /** True when the phase hit its time bound before sending every session. */
  truncated: boolean;
}

export interface PhaseOptions {
  port: number;
  concurrency: number;
  timeoutMs: number;
  /** Stop starting new sessions after this long. */
  maxDurationMs: number;
  channelId: string;
}

interface TurnOutcome {
  ok: boolean;
  ms: number;
  error?: string;
}

let activitySeq = 0;

function activityFor(session: Session, turn: TurnSpec, channelId: string): string {
  activitySeq += 1;
  return JSON.stringify({
    type: 'message',
    id: `bench-a${activitySeq}`,
    timestamp: new Date().toISOString(),
    channelId,
    serviceUrl: 'http://127.0.0.1:1',
    locale: session.locale,
    conversation: { id: session.conversationId },
    from: { id: session.userId, name: 'Bench user' },
    recipient: { id: 'bot', name: 'Bot' },
    ...turn.fields,
    deliveryMode: 'expectReplies',
  });
}

/** One POST /api/messages; success = 200 with at least `minReplies` activities in the body. */
export function postTurn(agent: http.Agent, port: number, body: string, minReplies: number, timeoutMs: number): Promise<TurnOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const t0 = performance.now();
    const finish = (o: TurnOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(o);
    };
    const req = http.request({
      host: '127.0.0.1', port, path: '/api/messages', method: 'POST', agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    });
    const timer = setTimeout(() => {
      finish({ ok: false, ms: performance.now() - t0, error: 'timeout' });
      req.destroy();
    }, timeoutMs);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (err) => finish({ ok: false, ms: performance.now() - t0, error: `response: ${err.message}` }));
      res.on('end', () => {
        const ms = performance.now() - t0;
        if (res.statusCode !== 200) return finish({ ok: false, ms, error: `HTTP ${res.statusCode}` });
        let replies = 0;
        try {
          const text = Buffer.concat(chunks).toString('utf8');
          const parsed = text ? (JSON.parse(text) as { activities?: unknown[] }) : {};
          replies = Array.isArray(parsed.activities) ? parsed.activities.length : 0;
        } catch {
          return finish({ ok: false, ms, error: 'invalid JSON body' });
        }
        if (replies < minReplies) return finish({ ok: false, ms, error: 'no reply activities' });
        finish({ ok: true, ms });
      });
    });
    req.on('error', (err: NodeJS.ErrnoException) => finish({ ok: false, ms: performance.now() - t0, error: `request: ${err.code ?? err.message}` }));
    req.end(body);
  });
}

/** Runs the sessions with `concurrency` workers; each worker plays one session's turns in order. */
export async function runPhase(sessions: Session[], o: PhaseOptions): Promise<PhaseResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.concurrency });
  const latencies: number[] = [];
  const errorKinds: Record<string, number> = {};
  let turns = 0;
  let next = 0;
  let truncated = false;
  const t0 = performance.now();
  const worker = async () => {
    for (;;) {
      if (performance.now() - t0 > o.maxDurationMs) {
        if (next < sessions.length) truncated = true;
        return;
      }
      const session = sessions[next++];
      if (!session) return;
      for (const turn of session.turns) {
        const outcome = await postTurn(agent, o.port, activityFor(session, turn, o.channelId), turn.minReplies, o.timeoutMs);
        turns += 1;
        if (outcome.ok) latencies.push(outcome.ms);
        else errorKinds[outcome.error ?? 'error'] = (errorKinds[outcome.error ?? 'error'] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, worker));
  const elapsedMs = performance.now() - t0;
  agent.destroy();
  const errors = turns - latencies.length;
  return { concurrency: o.concurrency, turns, ok: latencies.length, errors, errorKinds, latencies, elapsedMs, throughput: latencies.length / (elapsedMs / 1000), truncated };
}
