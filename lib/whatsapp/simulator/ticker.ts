import { and, eq, inArray, isNotNull, lte } from "drizzle-orm";
import type { Database } from "@/lib/db";
import {
  inboxes,
  simulatorMessages,
  type SimulatorMessage,
  type SimulatorMessageStatus,
} from "@/lib/db/schema";
import { log } from "@/lib/log";
import type { WebhookDeliverer } from "./delivery";
import { simulatedErrorTitle } from "./graph-stand-in";
import { serializeLikeMeta, statusUpdateWebhook, type BusinessNumber } from "./payloads";

/** How long after one status the simulated phone reports the next. */
const NEXT_STEP_MS: Partial<Record<SimulatorMessageStatus, number>> = { sent: 1_000, delivered: 2_500 };
/** A claimed row nobody finished (the webhook failed, the process died) is tried again after this. */
const CLAIM_MS = 5_000;

function nextStatus(row: SimulatorMessage): "sent" | "delivered" | "read" | "failed" | undefined {
  if (row.failCode !== null && row.status !== "failed") return "failed";
  if (row.status === "accepted") return "sent";
  if (row.status === "sent") return "delivered";
  if (row.status === "delivered") return "read";
  return undefined;
}

/**
 * Moves the business's messages along on the simulated phone (sent → delivered → read, or failed)
 * and reports each step to the app as a signed status webhook, like Meta. Returns how many it moved.
 */
export async function advanceSimulator(options: {
  db: Database;
  now: () => Date;
  deliver: WebhookDeliverer;
  batchSize?: number;
}): Promise<number> {
  const { db } = options;
  const now = options.now();
  const due = db
    .select({ id: simulatorMessages.id })
    .from(simulatorMessages)
    .where(
      and(
        eq(simulatorMessages.direction, "to_customer"),
        isNotNull(simulatorMessages.nextStatusAt),
        lte(simulatorMessages.nextStatusAt, now),
      ),
    )
    .orderBy(simulatorMessages.nextStatusAt)
    .limit(options.batchSize ?? 20)
    .for("update", { skipLocked: true });
  const claimed = await db
    .update(simulatorMessages)
    .set({ nextStatusAt: new Date(now.getTime() + CLAIM_MS) })
    .where(inArray(simulatorMessages.id, due))
    .returning();

  let moved = 0;
  for (const row of claimed) {
    const status = nextStatus(row);
    if (!status) {
      await db.update(simulatorMessages).set({ nextStatusAt: null }).where(eq(simulatorMessages.id, row.id));
      continue;
    }
    const [inbox] = await db.select().from(inboxes).where(eq(inboxes.phoneNumberId, row.phoneNumberId));
    const business: BusinessNumber = {
      phoneNumberId: row.phoneNumberId,
      displayPhoneNumber: inbox?.displayPhoneNumber ?? row.phoneNumberId,
      wabaId: inbox?.wabaId ?? null,
    };
    const at = options.now();
    const raw = serializeLikeMeta(
      statusUpdateWebhook({
        business,
        recipient: row.customer,
        wamid: row.wamid,
        status,
        at,
        error:
          status === "failed" && row.failCode !== null
            ? { code: row.failCode, title: simulatedErrorTitle(row.failCode) }
            : undefined,
      }),
    );
    const answer = await options.deliver(raw);
    if (answer.status < 200 || answer.status >= 300) {
      log.warn("simulator: the app refused a status webhook; it will be sent again", {
        status: answer.status,
      });
      continue;
    }
    const after = NEXT_STEP_MS[status];
    await db
      .update(simulatorMessages)
      .set({
        status,
        error: status === "failed" && row.failCode !== null ? simulatedErrorTitle(row.failCode) : null,
        nextStatusAt: after === undefined ? null : new Date(at.getTime() + after),
      })
      .where(eq(simulatorMessages.id, row.id));
    moved += 1;
  }
  return moved;
}
