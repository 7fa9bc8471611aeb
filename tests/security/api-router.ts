import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { serveFetch, type TestServer } from "../support/http-server";

export const httpMethods = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type HttpMethod = (typeof httpMethods)[number];

export interface ApiRoute {
  /** The route's pattern as the matrix names it, e.g. "conversations/[id]/status". */
  pattern: string;
  file: string;
  methods: HttpMethod[];
  regex: RegExp;
  paramNames: string[];
  handlers: Partial<Record<HttpMethod, (request: Request, context: unknown) => Promise<Response>>>;
}

const apiRoot = path.resolve("app/api/v1");

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return walk(full);
    return name === "route.ts" ? [full] : [];
  });
}

/** Every route under app/api/v1, found on disk (so a new route is never missed), with its handlers. */
export async function loadApiRoutes(): Promise<ApiRoute[]> {
  const routes: ApiRoute[] = [];
  for (const file of walk(apiRoot).sort()) {
    const pattern = path.relative(apiRoot, path.dirname(file)).split(path.sep).join("/");
    const routeModule = (await import(file)) as Record<string, unknown>;
    const handlers: ApiRoute["handlers"] = {};
    for (const method of httpMethods) {
      const handler = routeModule[method];
      if (typeof handler === "function") handlers[method] = handler as ApiRoute["handlers"][HttpMethod];
    }
    const paramNames: string[] = [];
    const source = pattern
      .split("/")
      .map((segment) => {
        const dynamic = /^\[(\w+)\]$/.exec(segment);
        if (!dynamic?.[1]) return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        paramNames.push(dynamic[1]);
        return "([^/]+)";
      })
      .join("/");
    routes.push({
      pattern,
      file,
      methods: Object.keys(handlers) as HttpMethod[],
      regex: new RegExp(`^/api/v1/${source}$`),
      paramNames,
      handlers,
    });
  }
  return routes;
}

/** A real HTTP server dispatching /api/v1 requests to the route handlers, as Next.js does. */
export async function serveApi(routes: ApiRoute[]): Promise<TestServer> {
  // Static segments win over dynamic ones (conversations/counts before conversations/[id]).
  const ordered = [...routes].sort((a, b) => a.paramNames.length - b.paramNames.length);
  return serveFetch(async (request) => {
    const { pathname } = new URL(request.url);
    for (const route of ordered) {
      const match = route.regex.exec(pathname);
      if (!match) continue;
      const handler = route.handlers[request.method as HttpMethod];
      if (!handler) return new Response(null, { status: 405 });
      const params = Object.fromEntries(
        route.paramNames.map((name, index) => [name, decodeURIComponent(match[index + 1] ?? "")]),
      );
      return handler(request, { params: Promise.resolve(params) });
    }
    return new Response(null, { status: 404 });
  });
}
