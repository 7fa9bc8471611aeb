import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import {
  createCannedReply,
  deleteCannedReply,
  listCannedReplies,
  listCannedRepliesToManage,
  updateCannedReply,
} from "@/lib/domain/canned-replies";
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from "@/lib/domain/errors";
import { auditLog, cannedReplies, type Inbox, type User } from "@/lib/db/schema";
import { setupTestDatabase } from "../../../support/db";
import { actorFor, addMember, createInbox, createUser, ctxFor } from "../../../support/factories";

const database = setupTestDatabase();
let admin: User;
let agent: User;
let support: Inbox;
let sales: Inbox;

beforeAll(async () => {
  const { db } = database().handle;
  admin = await createUser(db, { role: "admin" });
  agent = await createUser(db, { role: "agent" });
  support = await createInbox(db);
  sales = await createInbox(db);
  await addMember(db, support.id, agent.id);
});

describe("canned replies", () => {
  it("lets an admin create global and per-inbox replies, audited", async () => {
    const { db } = database().handle;
    const ctx = ctxFor(db, actorFor(admin));
    const global = await createCannedReply({
      ctx,
      input: { shortcut: "Greeting", title: "Greeting", body: "Hello {{contact.first_name}}" },
    });
    expect(global).toMatchObject({ shortcut: "greeting", inboxId: null, createdBy: admin.id });
    await createCannedReply({
      ctx,
      input: { inboxId: support.id, shortcut: "refund", title: "Refund", body: "Refunds take 5 days." },
    });
    await createCannedReply({
      ctx,
      input: { inboxId: sales.id, shortcut: "pricing", title: "Pricing", body: "Our prices…" },
    });

    const audit = await db.select().from(auditLog).where(eq(auditLog.targetId, global.id));
    expect(audit.map((a) => a.action)).toEqual(["canned_reply.created"]);
  });

  it("shows an agent the global replies and those of their inboxes only", async () => {
    const { db } = database().handle;
    const replies = await listCannedReplies({ ctx: ctxFor(db, actorFor(agent)), input: {} });
    expect(replies.map((r) => r.shortcut)).toEqual(["greeting", "refund"]);
  });

  it("searches by shortcut, title and text", async () => {
    const { db } = database().handle;
    const ctx = ctxFor(db, actorFor(agent));
    expect((await listCannedReplies({ ctx, input: { q: "5 days" } })).map((r) => r.shortcut)).toEqual([
      "refund",
    ]);
    expect((await listCannedReplies({ ctx, input: { q: "GREET" } })).map((r) => r.shortcut)).toEqual([
      "greeting",
    ]);
    expect(await listCannedReplies({ ctx, input: { q: "100%" } })).toEqual([]);
  });

  it("refuses a duplicate shortcut in the same scope but allows it in another inbox", async () => {
    const { db } = database().handle;
    const ctx = ctxFor(db, actorFor(admin));
    await expect(
      createCannedReply({ ctx, input: { shortcut: "greeting", title: "Again", body: "Hi" } }),
    ).rejects.toThrow(ConflictError);
    await expect(
      createCannedReply({
        ctx,
        input: { inboxId: sales.id, shortcut: "refund", title: "Refund", body: "Sales refunds" },
      }),
    ).resolves.toMatchObject({ inboxId: sales.id });
  });

  it("gives an admin every reply, whatever their own inboxes, with the inboxes a reply can belong to", async () => {
    const { db } = database().handle;
    const { replies, inboxes } = await listCannedRepliesToManage({ ctx: ctxFor(db, actorFor(admin)) });
    expect(replies.map((reply) => reply.shortcut)).toEqual(
      expect.arrayContaining(["greeting", "pricing", "refund"]),
    );
    expect(replies.find((reply) => reply.shortcut === "pricing")?.inboxId).toBe(sales.id);
    expect(inboxes.map((inbox) => inbox.id)).toEqual(expect.arrayContaining([support.id, sales.id]));
    await expect(listCannedRepliesToManage({ ctx: ctxFor(db, actorFor(agent)) })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
  });

  it("refuses agents who try to manage replies", async () => {
    const { db } = database().handle;
    const ctx = ctxFor(db, actorFor(agent));
    await expect(
      createCannedReply({ ctx, input: { shortcut: "mine", title: "Mine", body: "x" } }),
    ).rejects.toThrow(ForbiddenError);
    const [existing] = await db.select().from(cannedReplies).limit(1);
    await expect(
      updateCannedReply({ ctx, input: { id: existing?.id ?? "", title: "Hacked" } }),
    ).rejects.toThrow(ForbiddenError);
    await expect(deleteCannedReply({ ctx, input: { id: existing?.id ?? "" } })).rejects.toThrow(
      ForbiddenError,
    );
  });

  it("updates and deletes, with clear errors for missing replies and empty changes", async () => {
    const { db } = database().handle;
    const ctx = ctxFor(db, actorFor(admin));
    const reply = await createCannedReply({
      ctx,
      input: { shortcut: "temp", title: "Temp", body: "Temporary" },
    });
    await expect(
      updateCannedReply({ ctx, input: { id: reply.id, title: "Temporary reply" } }),
    ).resolves.toMatchObject({
      title: "Temporary reply",
    });
    await expect(updateCannedReply({ ctx, input: { id: reply.id } })).rejects.toThrow(InvalidInputError);
    await deleteCannedReply({ ctx, input: { id: reply.id } });
    await expect(deleteCannedReply({ ctx, input: { id: reply.id } })).rejects.toThrow(NotFoundError);
  });

  it("explains what is wrong with a malformed reply", async () => {
    const { db } = database().handle;
    const ctx = ctxFor(db, actorFor(admin));
    await expect(
      createCannedReply({ ctx, input: { shortcut: "no spaces", title: "", body: "x" } }),
    ).rejects.toThrow(/shortcut must be 1–40 lower-case letters, digits or dashes/);
  });
});
