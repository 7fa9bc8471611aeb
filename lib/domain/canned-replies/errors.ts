import { isUniqueViolation } from "@/lib/db/errors";
import { ConflictError } from "../errors";

/** A second reply with the same shortcut in the same scope is a conflict the admin can fix. */
export function rethrowDuplicateShortcut(error: unknown): never {
  if (isUniqueViolation(error)) {
    throw new ConflictError("Another canned reply already uses that shortcut here; choose a different one.");
  }
  throw error;
}
