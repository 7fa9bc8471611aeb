import type { ServerResponse } from "node:http";

/**
 * Headers on every response server.ts sends, pages and API alike. `Referrer-Policy: same-origin`:
 * nothing outside needs to know where a request came from, and links in customer messages are
 * chosen by strangers, who would otherwise learn the deployment's host name.
 */
export const baseSecurityHeaders = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "same-origin",
  // Older browsers that don't read CSP's frame-ancestors.
  "X-Frame-Options": "DENY",
} as const;

export function applyBaseSecurityHeaders(response: ServerResponse): void {
  for (const [name, value] of Object.entries(baseSecurityHeaders)) response.setHeader(name, value);
}

/** 128 random bits, base64: unguessable and new for every page response. */
export function createNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}

/**
 * The policy of every page. Scripts run only with this response's nonce (Next.js adds it to its own
 * scripts) or when loaded by one that has it ('strict-dynamic'); development adds 'unsafe-eval',
 * which React uses there to rebuild server stacks. Styles allow inline: React renders `style`
 * attributes, which a nonce cannot cover. 'self' in connect-src covers ws(s) to the same host.
 */
export function contentSecurityPolicy(nonce: string, { production }: { production: boolean }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${production ? "" : " 'unsafe-eval'"}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}
