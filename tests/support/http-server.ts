import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";

export interface TestServer {
  url: string;
  close(): Promise<void>;
}

function toRequest(incoming: IncomingMessage, outgoing: ServerResponse, base: string): Request {
  const controller = new AbortController();
  // The client hung up before we answered: the handler sees request.signal abort, as in Next.js.
  outgoing.once("close", () => {
    if (!outgoing.writableFinished) controller.abort();
  });
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (Array.isArray(value)) value.forEach((item) => headers.append(name, item));
    else if (value !== undefined) headers.set(name, value);
  }
  const hasBody = incoming.method !== "GET" && incoming.method !== "HEAD";
  return new Request(new URL(incoming.url ?? "/", base), {
    method: incoming.method,
    headers,
    body: hasBody ? (Readable.toWeb(incoming) as ReadableStream<Uint8Array>) : undefined,
    signal: controller.signal,
    duplex: "half",
  } as RequestInit & { duplex: "half" });
}

async function writeResponse(response: Response, outgoing: ServerResponse) {
  outgoing.writeHead(response.status, Object.fromEntries(response.headers));
  if (!response.body) {
    outgoing.end();
    return;
  }
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || outgoing.destroyed) break;
      outgoing.write(value);
    }
  } catch {
    // The body failed mid-answer: cut the connection as a real server does, never end it cleanly.
    outgoing.destroy();
    return;
  }
  outgoing.end();
}

/** A real HTTP server on a free local port answering with a fetch-style handler. */
export async function serveFetch(handler: (request: Request) => Promise<Response>): Promise<TestServer> {
  let url = "";
  const server = createServer((incoming, outgoing) => {
    handler(toRequest(incoming, outgoing, url))
      .then((response) => writeResponse(response, outgoing))
      .catch(() => {
        if (!outgoing.headersSent) outgoing.writeHead(500);
        outgoing.end();
      });
  });
  url = await listen(server);
  return { url, close: () => closeServer(server) };
}

/** A real HTTP server on a free local port answering with a Node-style handler (server.ts's paths). */
export async function serveNode(
  handler: (incoming: IncomingMessage, outgoing: ServerResponse) => void,
): Promise<TestServer> {
  const server = createServer(handler);
  const url = await listen(server);
  return { url, close: () => closeServer(server) };
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}
