import { describe, expect, it } from "vitest";
import { z } from "zod";
import { DatabaseUnavailableError } from "@/lib/db/client";
import {
  ConflictError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  PolicyBlockedError,
  RateLimitedError,
  UnauthenticatedError,
} from "@/lib/domain/errors";
import { mapError } from "@/lib/http/errors";

describe("mapError", () => {
  it.each([
    [new InvalidInputError("bad"), 400, "invalid_input"],
    [new UnauthenticatedError("who are you"), 401, "unauthenticated"],
    [new ForbiddenError("no"), 403, "forbidden"],
    [new NotFoundError("gone"), 404, "not_found"],
    [new ConflictError("twice"), 409, "conflict"],
    [new PolicyBlockedError("opted out"), 422, "policy_blocked"],
    [new RateLimitedError("slow down", 60), 429, "rate_limited"],
  ])("maps %s to its status and code", (error, status, code) => {
    const mapped = mapError(error);
    expect(mapped.status).toBe(status);
    expect(mapped.body.error).toMatchObject({ code, message: error.message });
  });

  it("tells a rate-limited client when to come back", () => {
    expect(mapError(new RateLimitedError("slow down", 60)).headers).toEqual({ "retry-after": "60" });
  });

  it("turns a zod failure into a 400 naming the field", () => {
    const result = z.object({ limit: z.number().max(100, "must be at most 100") }).safeParse({ limit: 500 });
    if (result.success) throw new Error("expected a failure");
    expect(mapError(result.error)).toMatchObject({
      status: 400,
      body: { error: { code: "invalid_input", message: "limit: must be at most 100" } },
    });
  });

  it("answers 503 when the database cannot be reached", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    expect(mapError(refused).status).toBe(503);
    expect(mapError(new Error("query failed", { cause: refused })).status).toBe(503);
    expect(mapError(new DatabaseUnavailableError("ping timed out")).status).toBe(503);
  });

  it("hides the details of unexpected errors", () => {
    const mapped = mapError(new Error("secret internals at /srv/app"));
    expect(mapped.status).toBe(500);
    expect(JSON.stringify(mapped.body)).not.toContain("secret internals");
  });
});
