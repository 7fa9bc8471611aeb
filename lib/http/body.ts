import { InvalidInputError } from "@/lib/domain/errors";
import { readJson } from "./route";

/** A JSON object body (anything else is a 400), for merging with ids from the URL. */
export async function readJsonObject(request: Request): Promise<Record<string, unknown>> {
  const body = await readJson(request);
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new InvalidInputError("The request body must be a JSON object.");
  }
  return body as Record<string, unknown>;
}
