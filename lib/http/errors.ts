import { ZodError } from "zod";
import { isConnectionError } from "@/lib/db/errors";
import {
  ConflictError,
  DomainError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  PayloadTooLargeError,
  PolicyBlockedError,
  RateLimitedError,
  UnauthenticatedError,
  UpstreamError,
} from "@/lib/domain/errors";
import { describeError, log } from "@/lib/log";

export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

export interface MappedError {
  status: number;
  body: ErrorBody;
  headers: Record<string, string>;
}

const statusByError: [new (...args: never[]) => DomainError, number][] = [
  [InvalidInputError, 400],
  [UnauthenticatedError, 401],
  [ForbiddenError, 403],
  [NotFoundError, 404],
  [ConflictError, 409],
  [PolicyBlockedError, 422],
  [PayloadTooLargeError, 413],
  [RateLimitedError, 429],
  [UpstreamError, 502],
];

/** Readable one-liner from a zod error: `limit: limit must be between 1 and 100; status: …`. */
export function describeZodError(error: ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join(".")}: ${issue.message}` : issue.message))
    .join("; ");
}

/** The one error-to-HTTP mapping. Unknown errors are logged with context and shown generically. */
export function mapError(error: unknown, context: Record<string, unknown> = {}): MappedError {
  if (error instanceof ZodError) {
    return {
      status: 400,
      headers: {},
      body: { error: { code: "invalid_input", message: describeZodError(error) } },
    };
  }
  if (error instanceof DomainError) {
    const status = statusByError.find(([type]) => error instanceof type)?.[1] ?? 500;
    const headers: Record<string, string> =
      error instanceof RateLimitedError ? { "retry-after": String(error.retryAfterSeconds) } : {};
    return {
      status,
      headers,
      body: { error: { code: error.code, message: error.message, details: error.details } },
    };
  }
  if (isConnectionError(error)) {
    log.warn("database unavailable", { ...context, ...describeError(error) });
    return {
      status: 503,
      headers: { "retry-after": "5" },
      body: {
        error: { code: "unavailable", message: "The database is unavailable; try again in a moment." },
      },
    };
  }
  log.error("unexpected error", { ...context, ...describeError(error) });
  return {
    status: 500,
    headers: {},
    body: { error: { code: "internal", message: "Something went wrong on our side; it has been logged." } },
  };
}

export function errorResponse(error: unknown, context?: Record<string, unknown>): Response {
  const mapped = mapError(error, context);
  return Response.json(mapped.body, { status: mapped.status, headers: mapped.headers });
}
