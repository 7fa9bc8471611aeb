import { getEnv } from "@/lib/env";
import { localSecret } from "@/lib/secrets";

// Read once per process: they are needed on every request, and must not change under a running server.
let cachedAuthSecret: string | undefined;
let cachedEncryptionKey: string | undefined;

/** Signs and encrypts session cookies; generated locally in development, required in production. */
export function authSecret(): string {
  cachedAuthSecret ??= localSecret("AUTH_SECRET", getEnv().authSecret);
  return cachedAuthSecret;
}

/** Encrypts TOTP secrets at rest; generated locally in development, required in production. */
export function encryptionKeyMaterial(): string {
  cachedEncryptionKey ??= localSecret("PARLEY_ENCRYPTION_KEY", getEnv().encryptionKey);
  return cachedEncryptionKey;
}
