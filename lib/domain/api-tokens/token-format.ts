import { randomBytes } from "node:crypto";
import { sha256Hex } from "@/lib/auth/crypto";

/** Recognisable in logs and by secret scanners. */
export const API_TOKEN_PREFIX = "prl_";

export function generateApiToken(): string {
  return `${API_TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
}

// 256 random bits: a plain SHA-256 is enough, and lets a request find its token by hash.
export function hashApiToken(token: string): string {
  return sha256Hex(token);
}

export function looksLikeApiToken(value: string): boolean {
  return (
    value.startsWith(API_TOKEN_PREFIX) && /^[A-Za-z0-9_-]{40,60}$/.test(value.slice(API_TOKEN_PREFIX.length))
  );
}
