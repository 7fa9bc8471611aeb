import { Secret, TOTP } from "otpauth";

/** RFC 6238 as every authenticator app reads it: SHA-1, 30-second steps, 6 digits. */
const PERIOD_SECONDS = 30;
const DIGITS = 6;
const ALGORITHM = "SHA1";
/** One step either side tolerates a phone clock that is a little off. */
const WINDOW = 1;

export const totpIssuer = "Parley";

/** A new random 160-bit secret, base32 as authenticator apps expect. */
export function generateTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totp(secretBase32: string, label = "") {
  return new TOTP({
    issuer: totpIssuer,
    label,
    algorithm: ALGORITHM,
    digits: DIGITS,
    period: PERIOD_SECONDS,
    secret: Secret.fromBase32(secretBase32),
  });
}

/** The otpauth:// URI an authenticator app reads from the QR code. */
export function totpUri(secretBase32: string, accountName: string): string {
  return totp(secretBase32, accountName).toString();
}

/** The time step (30-second counter) `now` falls in. */
export function totpStepAt(now: Date): number {
  return Math.floor(now.getTime() / 1000 / PERIOD_SECONDS);
}

/** The code for `now`; used by tests and scripted set-ups. */
export function totpCodeAt(secretBase32: string, now: Date): string {
  return totp(secretBase32).generate({ timestamp: now.getTime() });
}

export function looksLikeTotpCode(code: string): boolean {
  return /^\d{6}$/.test(code);
}

/**
 * The time step the code belongs to, or null when it matches none near `now`. The caller accepts
 * it only if the step is later than the last accepted one, so a code works once.
 */
export function matchTotpStep(secretBase32: string, code: string, now: Date): number | null {
  if (!looksLikeTotpCode(code)) return null;
  const delta = totp(secretBase32).validate({ token: code, timestamp: now.getTime(), window: WINDOW });
  return delta === null ? null : totpStepAt(now) + delta;
}
