import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";

/**
 * A route handler served straight from `server.ts`, outside Next's router: for the one hot path
 * (Meta's webhook deliveries) where routing, the handler cache and Next's response wrapping cost
 * more than the work itself. The handler is the same function Next serves, so its checks and
 * its error answers are the same either way.
 */
export type WebRouteHandler = (request: Request, context: undefined) => Promise<Response>;

/** The Node request as a web Request; the body is streamed, so the handler's size limit holds. */
export function toWebRequest(request: IncomingMessage, origin: string): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else headers.set(name, value);
  }
  const method = request.method ?? "GET";
  const hasBody = method !== "GET" && method !== "HEAD";
  return new Request(new URL(request.url ?? "/", origin), {
    method,
    headers,
    body: hasBody ? (Readable.toWeb(request) as ReadableStream<Uint8Array>) : undefined,
    // Node's fetch needs this for a streamed request body.
    ...(hasBody ? { duplex: "half" } : {}),
  } as RequestInit);
}

/** Writes a web Response to the Node response. */
export async function sendWebResponse(response: ServerResponse, answer: Response): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  answer.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const setCookies = answer.headers.getSetCookie();
  if (setCookies.length > 0) headers["set-cookie"] = setCookies;
  response.writeHead(answer.status, headers);
  response.end(answer.body ? Buffer.from(await answer.arrayBuffer()) : undefined);
}

/** Serves `request` with `handler`; errors the handler did not answer itself become a bare 500. */
export async function serveWithHandler(
  handler: WebRouteHandler,
  request: IncomingMessage,
  response: ServerResponse,
  origin: string,
): Promise<void> {
  const answer = await handler(toWebRequest(request, origin), undefined);
  await sendWebResponse(response, answer);
}
