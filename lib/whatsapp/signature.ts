import { createHmac, timingSafeEqual } from "node:crypto";

/** `sha256=<hex>` as Meta sends it in X-Hub-Signature-256. */
export function signWebhookBody(body: Uint8Array | string, appSecret: string): string {
  return `sha256=${createHmac("sha256", appSecret).update(body).digest("hex")}`;
}

const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;

/**
 * Whether the header is the HMAC of exactly these bytes. Meta signs the body as sent (non-ASCII
 * escaped as \uXXXX), so the bytes are hashed before any decoding; the comparison is constant-time.
 */
export function isValidWebhookSignature(
  body: Uint8Array,
  header: string | null | undefined,
  appSecret: string,
): boolean {
  const hex = header ? SIGNATURE.exec(header.trim())?.[1] : undefined;
  if (!hex) return false;
  const expected = createHmac("sha256", appSecret).update(body).digest();
  const given = Buffer.from(hex, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}
