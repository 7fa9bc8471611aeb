import { InvalidInputError } from "@/lib/domain/errors";
import { errorResponse } from "./errors";

type Handler<C> = (request: Request, context: C) => Promise<Response>;

/** Wraps a route handler so every thrown error goes through the one mapper. */
export function route<C>(handler: Handler<C>): Handler<C> {
  return async (request, context) => {
    try {
      return await handler(request, context);
    } catch (error) {
      return errorResponse(error, { method: request.method, url: new URL(request.url).pathname });
    }
  };
}

/** Reads a JSON body; a body that is not JSON is a 400 with a readable message. */
export async function readJson(request: Request): Promise<unknown> {
  const text = await request.text();
  if (text.trim() === "") throw new InvalidInputError("The request body is empty; send a JSON object.");
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new InvalidInputError("The request body is not valid JSON.");
  }
}

/** Search params as a plain object, ready for a zod schema. */
export function searchParamsOf(request: Request): Record<string, string> {
  return Object.fromEntries(new URL(request.url).searchParams);
}

/** Hands request data to a domain verb typed by its zod input; safe because every verb parses its input first. */
export function unchecked<T>(value: unknown): T {
  return value as T;
}
