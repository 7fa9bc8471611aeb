import { randomBytes } from "node:crypto";
import commonPasswords from "./common-passwords.json";

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

// The 10,000 most common passwords from @zxcvbn-ts/language-common (MIT), lower-cased.
const common = new Set<string>(commonPasswords);

function isCommon(candidate: string): boolean {
  const lower = candidate.toLowerCase();
  if (common.has(lower)) return true;
  // "password1234!" is as weak as "password": strip leading/trailing digits and symbols.
  const core = lower.replace(/^[^a-z]+|[^a-z]+$/g, "");
  if (core.length > 0 && common.has(core)) return true;
  // A short unit repeated ("abcabcabcabc", "aaaaaaaaaaaa") is easy to guess whatever its length.
  return /^(.{1,4})\1+$/.test(lower);
}

/** Why a password is refused, in words a person can act on; undefined when it is acceptable. */
export function passwordProblem(password: string, personal: string[] = []): string | undefined {
  if (password.length < PASSWORD_MIN_LENGTH) {
    return `The password must be at least ${PASSWORD_MIN_LENGTH} characters long.`;
  }
  if (password.length > PASSWORD_MAX_LENGTH) {
    return `The password must be at most ${PASSWORD_MAX_LENGTH} characters long.`;
  }
  if (isCommon(password)) return "That password is too common; choose one that is harder to guess.";
  const lower = password.toLowerCase();
  const personalHit = personal
    .map((value) => value.toLowerCase().split("@")[0] ?? "")
    .some((value) => value.length >= 4 && lower.includes(value));
  if (personalHit) return "The password must not contain your name or email address.";
  return undefined;
}

/** A random password for invitations and resets: 20 characters, about 119 bits. */
export function generatePassword(): string {
  return randomBytes(15).toString("base64url");
}
