import pino from 'pino';
import { redact } from '../privacy/redact';
import type { Config } from './config';

export type Level = 'debug' | 'info' | 'warn' | 'error';
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/**
 * Fields that must never be printed, should a caller pass a request or an activity by mistake:
 * credentials in headers, and what users type (which can hold personal codes, phones, e-mails).
 */
export const LOG_REDACT_PATHS = [
  'authorization', 'cookie', 'password', 'token', 'secret',
  'headers.authorization', 'headers.cookie', '*.headers.authorization', '*.headers.cookie', 'req.headers.authorization', 'req.headers.cookie',
  'text', 'value', 'comment', 'attachments', 'channelData',
  '*.text', '*.value', '*.comment', '*.attachments', '*.channelData',
];

/**
 * One JSON line per event on stdout (pino: `{"level":"info","time":"…","msg":"…",…}`). Callers log
 * identifiers and outcomes, never message text; the redaction paths are the safety net.
 */
export function createLogger(level: Config['LOG_LEVEL'], write: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Logger {
  const log = pino({
    level,
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: LOG_REDACT_PATHS, censor: '[REDACTED]' },
  }, { write: (line: string) => write(line.endsWith('\n') ? line.slice(0, -1) : line) });
  const at = (lvl: Level) => (msg: string, fields: Record<string, unknown> = {}) => log[lvl](fields, msg);
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** One line for anything a library prints: an error's name and message (redacted, short), never a stack. */
export function summarize(args: unknown[]): string {
  const part = (a: unknown): string => {
    if (a instanceof Error) return `${a.name}: ${a.message}`;
    if (typeof a === 'string') return a;
    if (typeof a === 'number' || typeof a === 'boolean') return String(a);
    return Object.prototype.toString.call(a);
  };
  return redact(args.map(part).join(' ').slice(0, 300));
}

/**
 * botbuilder and other libraries print to the console (a rejected token prints its stack trace):
 * route those through the logger, one short line each, so nothing reaches bare stderr.
 */
export function routeConsoleTo(logger: Logger): void {
  console.error = (...args: unknown[]) => logger.warn('library error', { detail: summarize(args) });
  console.warn = (...args: unknown[]) => logger.warn('library warning', { detail: summarize(args) });
  console.log = (...args: unknown[]) => logger.debug('library output', { detail: summarize(args) });
  console.info = console.log;
  console.debug = console.log;
  console.trace = console.log;
}
