/**
 * What the domain can refuse, in words a user can act on. lib/http/errors.ts maps each kind
 * to its HTTP status; nothing else decides status codes.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  constructor(
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Missing, or outside what the actor may see (another inbox's conversation is "not found"). */
export class NotFoundError extends DomainError {
  readonly code = "not_found";
}

/** No valid credentials. */
export class UnauthenticatedError extends DomainError {
  readonly code = "unauthenticated";
}

/** Signed in, but the role lacks the permission. */
export class ForbiddenError extends DomainError {
  readonly code = "forbidden";
}

/** The request conflicts with the current state (a duplicate, a transition that already happened). */
export class ConflictError extends DomainError {
  readonly code = "conflict";
}

/** Well-formed but unacceptable input. */
export class InvalidInputError extends DomainError {
  readonly code = "invalid_input";
}

/** The messaging policy forbids it (opt-out, closed window, sensitive data). */
export class PolicyBlockedError extends DomainError {
  readonly code = "policy_blocked";
}

export class RateLimitedError extends DomainError {
  readonly code = "rate_limited";
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message, { retryAfterSeconds });
  }
}

/** The request (or what it would make us fetch) is larger than we accept. */
export class PayloadTooLargeError extends DomainError {
  readonly code = "payload_too_large";
}

/** A service we depend on (WhatsApp's Graph API) failed or answered something unusable. */
export class UpstreamError extends DomainError {
  readonly code = "upstream_unavailable";
}
