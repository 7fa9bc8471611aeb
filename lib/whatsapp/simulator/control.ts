import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Executor } from "@/lib/db";
import { queryRows } from "@/lib/db/raw";
import { simulatorFailureKinds, simulatorSettings, type SimulatorFailureKind } from "@/lib/db/schema";

const SETTINGS_KEY = "graph";

export interface SimulatorFailure {
  kind: SimulatorFailureKind;
  code: number | null;
  /** Sends still to fail; null: until switched off. */
  remaining: number | null;
}

const codeFor: Partial<Record<SimulatorFailureKind, number>> = { server_error: 131000 };

export const simulatorFailureInput = z
  .object({
    kind: z.enum(simulatorFailureKinds, {
      message: `kind must be one of ${simulatorFailureKinds.join(", ")}`,
    }),
    /** The WhatsApp error code for graph_error (130429, 131056, 190…) and failed_status (131047, 131026…). */
    code: z.coerce.number().int().min(1).max(9_999_999).optional(),
    /** How many sends fail; leave out to fail until switched off. */
    times: z.coerce.number().int().min(1).max(1000).optional(),
  })
  .refine(
    (value) => !(value.kind === "graph_error" || value.kind === "failed_status") || value.code !== undefined,
    {
      message: "code is required for graph_error and failed_status",
      path: ["code"],
    },
  );
export type SimulatorFailureInput = z.input<typeof simulatorFailureInput>;

export async function readSimulatorFailure(db: Executor): Promise<SimulatorFailure> {
  const [row] = await db.select().from(simulatorSettings).where(eq(simulatorSettings.key, SETTINGS_KEY));
  return row && row.failureKind !== "none"
    ? { kind: row.failureKind, code: row.failureCode, remaining: row.failuresRemaining }
    : { kind: "none", code: null, remaining: null };
}

/** Switches how the Graph API stand-in answers the next sends. */
export async function setSimulatorFailure(db: Executor, input: SimulatorFailureInput, now: Date) {
  const data = simulatorFailureInput.parse(input);
  const values = {
    failureKind: data.kind,
    failureCode: data.kind === "none" ? null : (data.code ?? codeFor[data.kind] ?? null),
    failuresRemaining: data.kind === "none" ? null : (data.times ?? null),
    updatedAt: now,
  };
  await db
    .insert(simulatorSettings)
    .values({ key: SETTINGS_KEY, ...values })
    .onConflictDoUpdate({ target: simulatorSettings.key, set: values });
  return readSimulatorFailure(db);
}

/**
 * Takes one failure for this send, atomically, so concurrent sends across instances never use the
 * same "fail once" twice. Undefined when sends should succeed.
 */
export async function takeSimulatorFailure(
  db: Executor,
): Promise<{ kind: Exclude<SimulatorFailureKind, "none">; code: number | null } | undefined> {
  // RETURNING shows the row after the update; the CTE keeps what the switch said before it.
  const rows = await queryRows(
    db,
    sql`
      with taken as (
        select key, failure_kind, failure_code from ${simulatorSettings}
        where key = ${SETTINGS_KEY} and failure_kind <> 'none'
          and (failures_remaining is null or failures_remaining > 0)
        for update
      )
      update ${simulatorSettings} as settings
      set failures_remaining = settings.failures_remaining - 1,
          failure_kind = case when settings.failures_remaining = 1 then 'none' else settings.failure_kind end
      from taken where settings.key = taken.key
      returning taken.failure_kind, taken.failure_code
    `,
  );
  const taken = takenRow.safeParse(rows[0]);
  return taken.success ? { kind: taken.data.failure_kind, code: taken.data.failure_code } : undefined;
}

const takenRow = z.object({
  failure_kind: z.enum(simulatorFailureKinds).exclude(["none"]),
  failure_code: z.coerce.number().int().nullable(),
});
