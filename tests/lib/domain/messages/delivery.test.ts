import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { pendingMessageStatuses, type Inbox } from "@/lib/db/schema";
import {
  applyDeliveryStatus,
  keepPendingStatus,
  prunePendingStatuses,
  recordSentWamid,
} from "@/lib/domain/messages/delivery";
import { setupTestDatabase } from "../../../support/db";
import { createConversation, createInbox, createMessage } from "../../../support/factories";

const database = setupTestDatabase();
const now = new Date("2026-11-20T12:00:00.000Z");
let inbox: Inbox;

beforeAll(async () => {
  inbox = await createInbox(database().handle.db);
});

async function queued() {
  const { db } = database().handle;
  const conversation = await createConversation(db, inbox.id);
  return createMessage(db, conversation, {
    direction: "outbound",
    authorKind: "agent",
    status: "queued",
    wamid: null,
  });
}

describe("delivery statuses", () => {
  it("moves a message forward through every status but never back", async () => {
    const { db } = database().handle;
    const message = await queued();
    await recordSentWamid(
      db,
      { messageId: message.id, inboxId: inbox.id, wamid: "wamid.forward", at: now },
      now,
    );
    const apply = (status: "sent" | "delivered" | "read") =>
      applyDeliveryStatus(db, { inboxId: inbox.id, wamid: "wamid.forward", status, at: now }, now);
    expect((await apply("delivered")).outcome).toBe("changed");
    expect((await apply("sent")).outcome).toBe("unchanged");
    expect((await apply("read")).outcome).toBe("changed");
    expect((await apply("delivered")).outcome).toBe("unchanged");
    expect(
      (
        await applyDeliveryStatus(
          db,
          { inboxId: inbox.id, wamid: "wamid.nobody", status: "read", at: now },
          now,
        )
      ).outcome,
    ).toBe("unknown");
  });

  it("applies statuses that arrived before the wamid, best last, when the wamid is recorded", async () => {
    const { db } = database().handle;
    const message = await queued();
    for (const status of ["read", "sent", "delivered"] as const) {
      await keepPendingStatus(db, { inboxId: inbox.id, wamid: "wamid.early", status, at: now });
    }
    const { message: stored } = await recordSentWamid(
      db,
      { messageId: message.id, inboxId: inbox.id, wamid: "wamid.early", at: now },
      now,
    );
    expect(stored).toMatchObject({ status: "read", wamid: "wamid.early" });
    const left = await db
      .select()
      .from(pendingMessageStatuses)
      .where(eq(pendingMessageStatuses.wamid, "wamid.early"));
    expect(left).toEqual([]);
  });

  it("forgets pending statuses for sends Parley never made after a while", async () => {
    const { db } = database().handle;
    await keepPendingStatus(db, { inboxId: inbox.id, wamid: "wamid.foreign", status: "delivered", at: now });
    expect(await prunePendingStatuses(db, new Date(Date.now() - 3600_000))).toBe(0);
    expect(await prunePendingStatuses(db, new Date(Date.now() + 3600_000))).toBeGreaterThanOrEqual(1);
    expect(
      await db.select().from(pendingMessageStatuses).where(eq(pendingMessageStatuses.wamid, "wamid.foreign")),
    ).toEqual([]);
  });
});
