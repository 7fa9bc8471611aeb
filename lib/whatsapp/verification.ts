import { timingSafeEqual } from "node:crypto";

/**
 * Meta's webhook registration handshake: GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…
 * is answered with the challenge (plain text) when the token matches, 403 otherwise.
 */
export function answerVerification(params: URLSearchParams, verifyToken: string): Response {
  const mode = params.get("hub.mode");
  const token = params.get("hub.verify_token") ?? "";
  const challenge = params.get("hub.challenge") ?? "";
  const given = Buffer.from(token);
  const expected = Buffer.from(verifyToken);
  const matches = given.length === expected.length && timingSafeEqual(given, expected);
  if (mode !== "subscribe" || !matches) {
    return new Response("Verification failed.", { status: 403, headers: { "content-type": "text/plain" } });
  }
  // Meta sends a number; anything else is not echoed back.
  if (!/^[A-Za-z0-9_-]{1,256}$/.test(challenge)) {
    return new Response("hub.challenge is missing or malformed.", {
      status: 400,
      headers: { "content-type": "text/plain" },
    });
  }
  return new Response(challenge, {
    status: 200,
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
  });
}
