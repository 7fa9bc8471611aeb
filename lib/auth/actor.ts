import type { Actor } from "@/lib/domain/context";
import { UnauthenticatedError } from "@/lib/domain/errors";

/**
 * The actor behind an HTTP request (session cookie or personal API token). Until sign-in lands
 * nobody is authenticated, so every protected route answers 401.
 */
export function getRequestActor(_request: Request): Promise<Actor> {
  return Promise.reject(new UnauthenticatedError("Sign-in is required."));
}
