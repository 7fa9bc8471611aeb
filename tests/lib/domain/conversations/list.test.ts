import { beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { countConversations, listConversations } from "@/lib/domain/conversations";
import { InvalidInputError } from "@/lib/domain/errors";
import type { Inbox, User } from "@/lib/db/schema";
import { setupTestDatabase } from "../../../support/db";
import {
  actorFor,
  addMember,
  createContact,
  createConversation,
  createInbox,
  createMessage,
  createUser,
  ctxFor,
} from "../../../support/factories";

const database = setupTestDatabase();

let support: Inbox;
let sales: Inbox;
let dana: User;
let lee: User;
const base = new Date("2026-11-20T10:00:00.000Z");
const minutesAfter = (minutes: number) => new Date(base.getTime() + minutes * 60_000);

beforeAll(async () => {
  const { db } = database().handle;
  support = await createInbox(db, { name: "Support" });
  sales = await createInbox(db, { name: "Sales" });
  dana = await createUser(db, { name: "Dana" });
  lee = await createUser(db, { name: "Lee" });
  await addMember(db, support.id, dana.id);
  await addMember(db, sales.id, dana.id);
  await addMember(db, support.id, lee.id);

  // 30 support conversations, two sharing each timestamp so the id breaks the tie.
  for (let i = 0; i < 30; i += 1) {
    await createConversation(db, support.id, {
      lastMessageAt: minutesAfter(Math.floor(i / 2)),
      assigneeId: i % 3 === 0 ? dana.id : i % 3 === 1 ? lee.id : null,
      status: i % 5 === 0 ? "resolved" : "open",
    });
  }
  for (let i = 0; i < 5; i += 1) {
    await createConversation(db, sales.id, { lastMessageAt: minutesAfter(100 + i) });
  }
});

describe("listConversations", () => {
  it("shows only the inboxes the user is a member of", async () => {
    const { db } = database().handle;
    const page = await listConversations({ ctx: ctxFor(db, actorFor(lee)), input: { limit: 100 } });
    expect(page.items).toHaveLength(30);
    expect(new Set(page.items.map((c) => c.inboxId))).toEqual(new Set([support.id]));

    const forDana = await listConversations({ ctx: ctxFor(db, actorFor(dana)), input: { limit: 100 } });
    expect(forDana.items).toHaveLength(35);
  });

  it("returns an empty page for another inbox rather than its rows", async () => {
    const { db } = database().handle;
    const page = await listConversations({ ctx: ctxFor(db, actorFor(lee)), input: { inboxId: sales.id } });
    expect(page).toEqual({ items: [], nextCursor: null });
  });

  it("walks every conversation exactly once by cursor, newest first", async () => {
    const { db } = database().handle;
    const ctx = ctxFor(db, actorFor(dana));
    const seen: string[] = [];
    const times: number[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await listConversations({ ctx, input: { limit: 7, cursor } });
      seen.push(...page.items.map((c) => c.id));
      times.push(...page.items.map((c) => c.lastMessageAt.getTime()));
      cursor = page.nextCursor ?? undefined;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(5);
    expect(seen).toHaveLength(35);
    expect(new Set(seen).size).toBe(35);
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it("filters by view and status", async () => {
    const { db } = database().handle;
    const ctx = ctxFor(db, actorFor(dana));
    const mine = await listConversations({ ctx, input: { view: "mine", limit: 100 } });
    expect(mine.items).toHaveLength(10);
    expect(mine.items.every((c) => c.assigneeId === dana.id)).toBe(true);

    const unassigned = await listConversations({
      ctx,
      input: { view: "unassigned", inboxId: support.id, limit: 100 },
    });
    expect(unassigned.items).toHaveLength(10);
    expect(unassigned.items.every((c) => c.assigneeId === null)).toBe(true);

    const resolved = await listConversations({ ctx, input: { status: "resolved", limit: 100 } });
    expect(resolved.items).toHaveLength(6);
  });

  it("carries the contact with each row", async () => {
    const { db } = database().handle;
    const page = await listConversations({ ctx: ctxFor(db, actorFor(lee)), input: { limit: 1 } });
    expect(page.items[0]?.contact.name).toMatch(/^Customer /);
    expect(page.items[0]?.contact.waId).toMatch(/^1555/);
  });

  it("refuses a tampered cursor and an out-of-range limit with readable messages", async () => {
    const { db } = database().handle;
    const ctx = ctxFor(db, actorFor(lee));
    await expect(listConversations({ ctx, input: { cursor: "not-a-cursor" } })).rejects.toThrow(
      InvalidInputError,
    );
    await expect(listConversations({ ctx, input: { limit: 1000 } })).rejects.toThrow(ZodError);
    await expect(listConversations({ ctx, input: { limit: 1000 } })).rejects.toThrow(
      /limit must be between 1 and 100/,
    );
  });
});

describe("searching the list", () => {
  let kim: User;
  let max: User;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const { db } = database().handle;
    const kitchen = await createInbox(db, { name: "Kitchen" });
    const annex = await createInbox(db, { name: "Annex" });
    kim = await createUser(db, { name: "Kim" });
    max = await createUser(db, { name: "Max" });
    await addMember(db, kitchen.id, kim.id);
    await addMember(db, kitchen.id, max.id);
    await addMember(db, annex.id, max.id);

    const conversation = async (
      key: string,
      inboxId: string,
      name: string,
      body: string,
      fields: { waitingSince?: Date; lastMessageAt: Date; status?: "open" | "resolved"; waId?: string },
    ) => {
      const { waId, ...rest } = fields;
      const contact = await createContact(db, inboxId, { profileName: name, ...(waId ? { waId } : {}) });
      const row = await createConversation(db, inboxId, { contactId: contact.id, ...rest });
      await createMessage(db, row, { body });
      ids[key] = row.id;
    };
    // Waiting customers first (oldest wait on top), then the rest by latest activity.
    await conversation("byMessage", kitchen.id, "Tom", "My kettle leaks", {
      waitingSince: minutesAfter(10),
      lastMessageAt: minutesAfter(10),
    });
    await conversation("byName", kitchen.id, "Rosa Kettle", "Hello", {
      waitingSince: minutesAfter(5),
      lastMessageAt: minutesAfter(20),
    });
    await conversation("byBoth", kitchen.id, "Kettle Corp", "The kettle again", {
      lastMessageAt: minutesAfter(30),
    });
    await conversation("byNameLater", kitchen.id, "Ines KETTLE", "Hi", { lastMessageAt: minutesAfter(25) });
    await conversation("resolved", kitchen.id, "Kettle Closed", "Bye", {
      lastMessageAt: minutesAfter(40),
      status: "resolved",
    });
    await conversation("byNumber", kitchen.id, "Jo", "Hi there", {
      lastMessageAt: minutesAfter(35),
      waId: "4915112345678",
    });
    await conversation("noMatch", kitchen.id, "Pat", "A toaster question", {
      lastMessageAt: minutesAfter(50),
    });
    await conversation("otherInbox", annex.id, "Kettle Annex", "kettle", { lastMessageAt: minutesAfter(45) });
  });

  const walk = async (user: User, input: Parameters<typeof listConversations>[0]["input"]) => {
    const { db } = database().handle;
    const ctx = ctxFor(db, actorFor(user));
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listConversations({ ctx, input: { ...input, limit: 1, cursor } });
      seen.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return seen;
  };

  it("pages through matches by name, by message text or both, once each and in the list's order", async () => {
    expect(await walk(kim, { q: "kettle", status: "open" })).toEqual([
      ids.byName,
      ids.byMessage,
      ids.byBoth,
      ids.byNameLater,
    ]);
    expect(await walk(kim, { q: "kettle", sort: "recent" })).toEqual([
      ids.resolved,
      ids.byBoth,
      ids.byNameLater,
      ids.byName,
      ids.byMessage,
    ]);
    expect(await walk(kim, { q: "kettle", view: "unassigned", status: "resolved" })).toEqual([ids.resolved]);
  });

  it("finds a customer by the digits of their number, however they are typed", async () => {
    expect(await walk(kim, { q: "+49 151 1234" })).toEqual([ids.byNumber]);
    expect(await walk(kim, { q: "49" })).toEqual([]);
  });

  it("searches only the inboxes the user is a member of, and counts what it lists", async () => {
    expect(await walk(kim, { q: "annex" })).toEqual([]);
    const forMax = await walk(max, { q: "kettle", status: "open" });
    expect(forMax).toEqual([ids.byName, ids.byMessage, ids.otherInbox, ids.byBoth, ids.byNameLater]);

    const { db } = database().handle;
    const counts = await countConversations({
      ctx: ctxFor(db, actorFor(max)),
      input: { q: "kettle", status: "open" },
    });
    expect(counts.all?.conversations).toBe(forMax.length);
  });
});
