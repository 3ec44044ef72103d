import { authenticator } from 'otplib';

// otplib 12: its CommonJS build works under Node 20 and jest (13's default plugins are ESM-only).
const PERIOD_S = 30;

/** A new TOTP key (160 bits, Base32), for an authenticator app. */
export function newTotpSecret(): string {
  return authenticator.generateSecret(20);
}

export function totpUri(account: string, secret: string): string {
  return authenticator.keyuri(account, 'IeM IC asistents', secret);
}

/** The key in groups of four, as authenticator apps show and accept it. */
export function groupedSecret(secret: string): string {
  return secret.replace(/(.{4})/g, '$1 ').trim();
}

/**
 * The time step of a valid code (30 s steps, one step of clock drift either way), or undefined.
 * A code of a step at or before `lastStep` is refused: a code works once.
 */
export function checkTotp(secret: string, code: string, nowMs: number, lastStep?: number): number | undefined {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return undefined;
  const delta = authenticator.clone({ window: 1, epoch: nowMs }).checkDelta(token, secret);
  if (delta === null) return undefined;
  const step = Math.floor(nowMs / 1000 / PERIOD_S) + delta;
  return lastStep !== undefined && step <= lastStep ? undefined : step;
}

/** The current code (for tests). */
export function currentTotp(secret: string, nowMs: number): string {
  return authenticator.clone({ epoch: nowMs }).generate(secret);
}
