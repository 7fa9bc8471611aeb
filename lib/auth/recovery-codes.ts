import { randomBytes } from "node:crypto";
import { sha256Hex } from "./crypto";

export const RECOVERY_CODE_COUNT = 10;
const alphabet = "abcdefghjkmnpqrstuvwxyz23456789";

/** `xxxxx-xxxxx` from an unambiguous alphabet: about 49 bits each, shown once, then only hashed. */
export function generateRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => {
    const bytes = randomBytes(10);
    const chars = [...bytes].map((byte) => alphabet[byte % alphabet.length]).join("");
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

/** Case, spaces and dashes don't matter when a person types a code back. */
export function normalizeRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[\s-]/g, "");
}

export function looksLikeRecoveryCode(code: string): boolean {
  return /^[a-z0-9]{10}$/.test(normalizeRecoveryCode(code));
}

// Random codes of this entropy need no slow hash: SHA-256 cannot be reversed or guessed offline.
export function hashRecoveryCode(code: string): string {
  return sha256Hex(`parley-recovery:${normalizeRecoveryCode(code)}`);
}
