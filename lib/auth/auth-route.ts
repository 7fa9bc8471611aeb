import type { NextApiRequest, NextApiResponse } from "next";
import NextAuth from "next-auth";
import { authOptions, signInAttempt, type SignInAttempt } from "@/auth";
import { ForbiddenError, UnauthenticatedError } from "@/lib/domain/errors";
import { errorResponse } from "@/lib/http/errors";
import { clientIpOf } from "@/lib/http/client-ip";
import { parseCookieHeader } from "./cookies";

/** The slice of a Node response next-auth's handler writes to; collected into a web Response. */
class CollectedResponse {
  statusCode = 200;
  headers = new Headers();
  body: BodyInit | null = null;

  status(code: number) {
    this.statusCode = code;
    return this;
  }
  getHeader(name: string) {
    return name.toLowerCase() === "set-cookie" ? this.headers.getSetCookie() : this.headers.get(name);
  }
  setHeader(name: string, value: string | string[]) {
    if (Array.isArray(value)) {
      this.headers.delete(name);
      for (const item of value) this.headers.append(name, item);
    } else {
      this.headers.set(name, value);
    }
    return this;
  }
  json(value: unknown) {
    this.headers.set("content-type", "application/json");
    this.body = JSON.stringify(value);
    return this;
  }
  send(value: unknown) {
    if (typeof value === "string") this.body = value;
    else if (value !== undefined && value !== null) this.json(value);
    return this;
  }
  end() {
    return this;
  }
  toResponse(): Response {
    const nullBody = this.statusCode === 204 || this.statusCode === 302 || this.body === null;
    return new Response(nullBody ? null : this.body, { status: this.statusCode, headers: this.headers });
  }
}

/** next-auth's Node handler reads only query, body, cookies, headers and method, and calls the methods above. */
function asNextApi(req: object, res: CollectedResponse): [NextApiRequest, NextApiResponse] {
  return [req as NextApiRequest, res as unknown as NextApiResponse];
}

async function readBody(request: Request): Promise<Record<string, string>> {
  if (request.method !== "POST") return {};
  const type = request.headers.get("content-type") ?? "";
  try {
    if (type.includes("application/json")) {
      const parsed: unknown = await request.json();
      if (!parsed || typeof parsed !== "object") return {};
      return Object.fromEntries(
        Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
      );
    }
    const text = await request.text();
    return Object.fromEntries(new URLSearchParams(text));
  } catch {
    return {};
  }
}

/** Re-issues next-auth's Set-Cookie headers on another response. */
function copyCookies(from: Headers, to: Response): Response {
  for (const cookie of from.getSetCookie()) to.headers.append("set-cookie", cookie);
  return to;
}

/**
 * /api/auth/*: next-auth's own handler, driven through its Node signature so it reads the request
 * we were given (route handlers stay callable from tests). For credentials sign-ins, a refusal is
 * answered in our error shape: 401 with the reason, 429 when throttled, 400 for a malformed form.
 */
export async function handleAuthRequest(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const nextauth = url.pathname
    .replace(/^\/api\/auth\/?/, "")
    .split("/")
    .filter(Boolean);
  const body = await readBody(request);
  const attempt: SignInAttempt = { ip: clientIpOf(request) };
  const collected = new CollectedResponse();
  const req = {
    method: request.method,
    headers: Object.fromEntries(request.headers),
    cookies: parseCookieHeader(request.headers.get("cookie")),
    query: { ...Object.fromEntries(url.searchParams), nextauth },
    body,
  };

  await signInAttempt.run(attempt, async () => {
    await NextAuth(...asNextApi(req, collected), authOptions());
  });
  const response = collected.toResponse();

  const isCredentialsCallback =
    request.method === "POST" && nextauth[0] === "callback" && nextauth[1] === "credentials";
  if (!isCredentialsCallback) return response;
  if (attempt.error !== undefined) return copyCookies(collected.headers, errorResponse(attempt.error));
  const signedIn = collected.headers.getSetCookie().some((c) => c.includes("session-token="));
  if (signedIn) return response;
  // next-auth answers a redirect, as a Location header or, with json=true, as {"url": …}.
  const redirect = `${collected.headers.get("location") ?? ""} ${typeof collected.body === "string" ? collected.body : ""}`;
  const failure = redirect.includes("csrf=true")
    ? new ForbiddenError("The sign-in form has expired; reload the page and try again.")
    : new UnauthenticatedError("Sign-in failed.");
  return copyCookies(collected.headers, errorResponse(failure));
}
