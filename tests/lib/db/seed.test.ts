import { count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { verifyPassword } from "@/lib/auth/password";
import { judgeOutbound } from "@/lib/domain/consents";
import { listSlaBoard } from "@/lib/domain/sla";
import { demoPassword, demoTemplates, demoUsers, seedDemoData } from "@/lib/db/seed";
import { consentEvents, contacts, conversations, inboxes, messages, templates, users } from "@/lib/db/schema";
import { createTestDatabase, setupTestDatabase } from "../../support/db";

const database = setupTestDatabase();

describe("seedDemoData", () => {
  it("fills an empty database with a team, two inboxes and conversations in several states", async () => {
    const { db } = database().handle;
    expect(await seedDemoData(db)).toEqual({ seeded: true });

    const roles = (await db.select({ role: users.role }).from(users)).map((u) => u.role).sort();
    expect(roles).toEqual(["admin", "agent", "agent", "supervisor"]);
    expect((await db.select().from(inboxes)).map((i) => i.name).sort()).toEqual(["Sales", "Support"]);

    const [contactCount] = await db.select({ n: count() }).from(contacts);
    expect(contactCount?.n).toBeGreaterThanOrEqual(24);
    const statuses = new Set(
      (await db.select({ s: conversations.status }).from(conversations)).map((c) => c.s),
    );
    expect([...statuses].sort()).toEqual(["open", "pending", "resolved"]);
    const messageStatuses = new Set((await db.select({ s: messages.status }).from(messages)).map((m) => m.s));
    expect(messageStatuses).toEqual(new Set(["received", "sent", "delivered", "read", "failed"]));
    const [notes] = await db.select({ n: count() }).from(messages).where(eq(messages.isPrivateNote, true));
    expect(notes?.n).toBeGreaterThan(0);
  });

  it("puts a breached and an at-risk customer on the supervisor's SLA board", async () => {
    const { db } = database().handle;
    const [sam] = await db.select().from(users).where(eq(users.role, "supervisor"));
    if (!sam) throw new Error("no demo supervisor");
    const board = await listSlaBoard({
      ctx: {
        actor: { kind: "user", userId: sam.id, role: sam.role, name: sam.name, via: "session" },
        db,
        now: new Date(),
      },
      input: {},
    });
    expect(board.breached.map((item) => item.contact.name)).toContain("Kofi Mensah");
    expect(board.atRisk.map((item) => item.contact.name)).toContain("Elena Novak");
  });

  it("gives every demo user the printed password", async () => {
    const { db } = database().handle;
    const [admin] = await db
      .select()
      .from(users)
      .where(eq(users.email, demoUsers[0]?.email ?? ""));
    expect(await verifyPassword(admin?.passwordHash ?? "", demoPassword)).toBe(true);
    expect(await verifyPassword(admin?.passwordHash ?? "", "wrong-password-entirely")).toBe(false);
  });

  it("gives each demo number approved WhatsApp templates from the simulated business account", async () => {
    const { db } = database().handle;
    const rows = await db.select().from(templates);
    expect(rows).toHaveLength(demoTemplates.length * 2);
    expect(new Set(rows.filter((row) => row.status === "approved").map((row) => row.name))).toEqual(
      new Set(["order_update", "follow_up"]),
    );
    expect(rows.find((row) => row.name === "order_update")?.parameters).toEqual([
      "customer_name",
      "order_number",
      "order_status",
    ]);
  });

  it("records a documented service opt-in for every customer, and marketing for some", async () => {
    const { db } = database().handle;
    const events = await db.select().from(consentEvents);
    const contactRows = await db.select({ id: contacts.id }).from(contacts);
    const serviceOptIns = events.filter((e) => e.purpose === "service" && e.action === "opt_in");
    expect(new Set(serviceOptIns.map((e) => e.contactId))).toEqual(new Set(contactRows.map((c) => c.id)));
    const marketing = events.filter((e) => e.purpose === "marketing" && e.action === "opt_in");
    expect(marketing.length).toBeGreaterThan(0);
    expect(marketing.length).toBeLessThan(contactRows.length);
    for (const event of events) {
      expect(event.evidence?.length ?? 0).toBeGreaterThan(20);
      expect(["web_form", "event_registration"]).toContain(event.source);
    }

    // A pending conversation's window has closed: a service template may still start it again.
    const [pending] = await db.select().from(conversations).where(eq(conversations.status, "pending"));
    if (!pending) throw new Error("no pending demo conversation");
    const judgement = await judgeOutbound(db, {
      contactId: pending.contactId,
      purpose: "service",
      kind: "template",
      windowOpen: false,
    });
    expect(judgement.allowed).toBe(true);
  });

  it("keeps existing data on a second start", async () => {
    const { db } = database().handle;
    const [before] = await db.select({ n: count() }).from(consentEvents);
    expect(await seedDemoData(db)).toEqual({ seeded: false });
    expect((await db.select({ n: count() }).from(consentEvents))[0]?.n).toBe(before?.n);
  });

  it("keeps existing conversations on a second start", async () => {
    const { db } = database().handle;
    const [before] = await db.select({ n: count() }).from(conversations);
    expect(await seedDemoData(db)).toEqual({ seeded: false });
    const [after] = await db.select({ n: count() }).from(conversations);
    expect(after?.n).toBe(before?.n);
  });
});

describe("seeding from several instances at once", () => {
  it("seeds exactly once", async () => {
    const fresh = await createTestDatabase();
    try {
      const { db } = fresh.handle;
      const results = await Promise.all([seedDemoData(db), seedDemoData(db), seedDemoData(db)]);
      expect(results.filter((r) => r.seeded)).toHaveLength(1);
      const [usersCount] = await db.select({ n: count() }).from(users);
      expect(usersCount?.n).toBe(demoUsers.length);
    } finally {
      await fresh.dispose();
    }
  });
});
