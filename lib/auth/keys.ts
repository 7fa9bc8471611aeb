import { getEnv } from "@/lib/env";
import { localSecret } from "@/lib/secrets";

/** Signs and encrypts session cookies; generated locally in development, required in production. */
export function authSecret(): string {
  return localSecret("AUTH_SECRET", getEnv().authSecret);
}

/** Encrypts TOTP secrets at rest; generated locally in development, required in production. */
export function encryptionKeyMaterial(): string {
  return localSecret("PARLEY_ENCRYPTION_KEY", getEnv().encryptionKey);
}
