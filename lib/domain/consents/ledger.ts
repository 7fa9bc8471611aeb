import { asc, eq, sql } from "drizzle-orm";
import type { Executor } from "@/lib/db";
import { queryRows } from "@/lib/db/raw";
import { consentEvents, type ConsentEventRow } from "@/lib/db/schema";
import { currentConsent, type ConsentSnapshot } from "@/lib/policy/consent";
import type { Actor } from "../context";

export type NewConsentEvent = Omit<typeof consentEvents.$inferInsert, "id" | "evidenceRedactedAt">;

/** A contact's ledger in the order it happened (ties in the order recorded). */
export function loadConsentHistory(tx: Executor, contactId: string): Promise<ConsentEventRow[]> {
  return tx
    .select()
    .from(consentEvents)
    .where(eq(consentEvents.contactId, contactId))
    .orderBy(asc(consentEvents.occurredAt), asc(consentEvents.createdAt));
}

export function snapshotOf(history: readonly ConsentEventRow[]): ConsentSnapshot {
  return currentConsent(
    history.map((row) => ({
      purpose: row.purpose,
      action: row.action,
      source: row.source,
      at: row.occurredAt,
    })),
  );
}

export async function loadConsentSnapshot(tx: Executor, contactId: string): Promise<ConsentSnapshot> {
  return snapshotOf(await loadConsentHistory(tx, contactId));
}

/** Who records an event: the user, and the API token when one was used (a website form's). */
export function recorderOf(actor: Actor): Pick<NewConsentEvent, "recordedBy" | "apiTokenId"> {
  if (actor.kind === "system") return { recordedBy: null, apiTokenId: null };
  return { recordedBy: actor.userId, apiTokenId: actor.via === "api_token" ? actor.apiTokenId : null };
}

/** Appends to the ledger through the caller's transaction. */
export async function appendConsentEvents(
  tx: Executor,
  events: NewConsentEvent[],
): Promise<ConsentEventRow[]> {
  if (events.length === 0) return [];
  return tx.insert(consentEvents).values(events).returning();
}

/**
 * Blanks the evidence of a contact's consent events (for the erasure of their data), keeping who,
 * what and when so the ledger still proves the history. The only change the ledger's trigger allows.
 */
export async function redactConsentEvidence(tx: Executor, contactId: string, now: Date): Promise<number> {
  const [row] = await queryRows<{ changed: number }>(
    tx,
    sql`select parley_redact_consent_evidence(${contactId}::uuid, ${now.toISOString()}::timestamptz) as changed`,
  );
  return Number(row?.changed ?? 0);
}
