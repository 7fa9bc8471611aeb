import { getEnv } from "@/lib/env";

/**
 * server.ts writes the socket's address into this header for every request, replacing anything
 * the client sent, so route handlers can trust it.
 */
export const CLIENT_IP_HEADER = "x-parley-client-ip";

/** The address to record for an incoming Node request (server.ts). */
export function clientIpOfSocket(remoteAddress: string | undefined, forwardedFor: string | undefined) {
  if (getEnv().trustProxy && forwardedFor) {
    // The last hop is the address our own proxy saw; earlier entries are the client's say-so.
    const hops = forwardedFor
      .split(",")
      .map((hop) => hop.trim())
      .filter(Boolean);
    const last = hops.at(-1);
    if (last) return last;
  }
  return remoteAddress;
}

export function clientIpOf(request: Request): string | undefined {
  return request.headers.get(CLIENT_IP_HEADER) ?? undefined;
}
