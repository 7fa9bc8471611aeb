import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db";
import {
  auditLog,
  conversations,
  inboxes,
  inboxSlaSettings,
  slaEvents,
  type Inbox,
  type User,
} from "@/lib/db/schema";
import { ForbiddenError, NotFoundError } from "@/lib/domain/errors";
import {
  getInboxSlaSettings,
  listInboxSlaSettings,
  onAgentReply,
  onCustomerMessage,
  updateBusinessHours,
  updateSlaPolicy,
  type UpdateSlaPolicyInput,
} from "@/lib/domain/sla";
import { markBreaches } from "@/lib/domain/sla/breaches";
import { mapError } from "@/lib/http/errors";
import { unparsed } from "@/lib/http/route";
import { DEFAULT_OFF_HOURS_TEMPLATE } from "@/lib/sla/off-hours";
import { setupTestDatabase } from "../../../support/db";
import {
  actorFor,
  addMember,
  createConversation,
  createInbox,
  createUser,
  ctxFor,
} from "../../../support/factories";
import { at, weekdaysOnly } from "../../../support/sla";

const database = setupTestDatabase();
const now = at("2026-03-02T12:00:00Z");

let admin: User;
let supervisor: User;
let agent: User;

beforeAll(async () => {
  const { db } = database().handle;
  admin = await createUser(db, { name: "Ada Admin", role: "admin" });
  supervisor = await createUser(db, { name: "Sam Supervisor", role: "supervisor" });
  agent = await createUser(db, { name: "Dana Agent" });
});

async function startClock(db: Database, inbox: Inbox, arrivedAt: Date) {
  const conversation = await createConversation(db, inbox.id);
  await db.transaction((tx) =>
    onCustomerMessage(tx, { conversationId: conversation.id, inboxId: inbox.id, arrivedAt }),
  );
  return conversation;
}

async function clockOf(db: Database, conversationId: string) {
  const [row] = await db.select().from(slaEvents).where(eq(slaEvents.conversationId, conversationId));
  if (!row) throw new Error("no clock");
  return row;
}

describe("reading an inbox's settings", () => {
  it("gives the defaults in the inbox's own zone until an admin changes them", async () => {
    const { db } = database().handle;
    const inbox = await createInbox(db, { timeZone: "America/New_York", offHoursReply: true });
    const settings = await getInboxSlaSettings({
      ctx: ctxFor(db, actorFor(admin), now),
      input: { inboxId: inbox.id },
    });
    expect(settings.calendar.timeZone).toBe("America/New_York");
    expect(settings.calendar.weeklyHours.monday).toEqual([{ start: "09:00", end: "18:00" }]);
    expect(settings.calendar.weeklyHours.saturday).toEqual([]);
    expect(settings.policy).toEqual({
      firstResponseMinutes: 1440,
      nextResponseMinutes: 1440,
      clock: "business_hours",
    });
    expect(settings.offHoursReply).toEqual({ enabled: true, template: DEFAULT_OFF_HOURS_TEMPLATE });
    expect(settings.customized).toEqual({ calendar: false, policy: false, offHoursReply: false });
  });

  it("parses unchanged settings once, shares them frozen, and reads a change anew", async () => {
    const { db } = database().handle;
    const inbox = await createInbox(db, { timeZone: "Europe/Berlin" });
    const read = () =>
      getInboxSlaSettings({ ctx: ctxFor(db, actorFor(admin), now), input: { inboxId: inbox.id } });
    const [first, second] = [await read(), await read()];
    // One object per distinct stored value: the clocks' compiled calendars are kept per object.
    expect(second.calendar).toBe(first.calendar);
    expect(Object.isFrozen(first.calendar.weeklyHours.monday)).toBe(true);
    await updateBusinessHours({
      ctx: ctxFor(db, actorFor(admin), now),
      input: {
        inboxId: inbox.id,
        calendar: { timeZone: "Europe/Berlin", weeklyHours: weekdaysOnly(["08:00", "16:00"]), holidays: [] },
      },
    });
    const changed = await read();
    expect(changed.calendar.weeklyHours.monday).toEqual([{ start: "08:00", end: "16:00" }]);
    expect(first.calendar.weeklyHours.monday).toEqual([{ start: "09:00", end: "18:00" }]);
  });

  it("lists every inbox for admins and refuses supervisors and agents", async () => {
    const { db } = database().handle;
    const inbox = await createInbox(db, { name: "Listed" });
    const all = await listInboxSlaSettings({ ctx: ctxFor(db, actorFor(admin), now) });
    expect(all.map((settings) => settings.inboxId)).toContain(inbox.id);
    for (const user of [supervisor, agent]) {
      await expect(listInboxSlaSettings({ ctx: ctxFor(db, actorFor(user), now) })).rejects.toThrow(
        ForbiddenError,
      );
    }
  });

  it("answers 404 for an inbox that does not exist", async () => {
    const { db } = database().handle;
    await expect(
      getInboxSlaSettings({
        ctx: ctxFor(db, actorFor(admin), now),
        input: { inboxId: "00000000-0000-4000-8000-000000000000" },
      }),
    ).rejects.toThrow(NotFoundError);
  });
});

describe("changing the SLA policy", () => {
  it("recomputes running clocks from their arrival, leaves met and breached ones alone, and is audited", async () => {
    const { db } = database().handle;
    const inbox = await createInbox(db, { timeZone: "Europe/London" });
    await addMember(db, inbox.id, agent.id);
    // Running: arrived Monday 10:00, due Wednesday 16:00 under 24 business hours.
    const running = await startClock(db, inbox, at("2026-03-02T10:00:00Z"));
    // Met: answered before the change.
    const met = await startClock(db, inbox, at("2026-03-02T10:00:00Z"));
    await db.transaction((tx) =>
      onAgentReply(tx, { conversationId: met.id, at: at("2026-03-02T10:30:00Z"), authorId: agent.id }),
    );
    // Breached: arrived the week before and marked by the ticker.
    const breached = await startClock(db, inbox, at("2026-02-23T10:00:00Z"));
    await db.transaction((tx) => markBreaches(tx, { now }));
    const breachedBefore = await clockOf(db, breached.id);
    const metBefore = await clockOf(db, met.id);

    const result = await updateSlaPolicy({
      ctx: ctxFor(db, actorFor(admin), now),
      input: {
        inboxId: inbox.id,
        policy: { firstResponseMinutes: 240, nextResponseMinutes: 120, clock: "business_hours" },
      },
    });
    expect(result.recomputedClocks).toBe(1);
    expect(result.policy.firstResponseMinutes).toBe(240);

    // Four business hours from Monday 10:00: Monday 14:00; at risk under an hour left (25 %).
    expect(await clockOf(db, running.id)).toMatchObject({
      dueAt: at("2026-03-02T14:00:00Z"),
      atRiskAt: at("2026-03-02T13:00:00Z"),
      targetMinutes: 240,
      startedAt: at("2026-03-02T10:00:00Z"),
    });
    const [conversation] = await db.select().from(conversations).where(eq(conversations.id, running.id));
    expect(conversation).toMatchObject({
      slaDueAt: at("2026-03-02T14:00:00Z"),
      slaAtRiskAt: at("2026-03-02T13:00:00Z"),
    });
    expect(await clockOf(db, met.id)).toEqual(metBefore);
    expect(await clockOf(db, breached.id)).toEqual(breachedBefore);

    const [audit] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "inbox.sla_policy_updated"), eq(auditLog.targetId, inbox.id)));
    expect(audit).toMatchObject({ actorId: admin.id, actorKind: "user" });
    expect(audit?.details).toMatchObject({
      before: { firstResponseMinutes: 1440 },
      after: { firstResponseMinutes: 240 },
      recomputedClocks: 1,
    });
  });

  it("switching to the calendar clock counts nights and weekends", async () => {
    const { db } = database().handle;
    const inbox = await createInbox(db, { timeZone: "Europe/London" });
    const conversation = await startClock(db, inbox, at("2026-03-06T17:00:00Z"));
    await updateSlaPolicy({
      ctx: ctxFor(db, actorFor(admin), now),
      input: { inboxId: inbox.id, policy: { firstResponseMinutes: 1440, clock: "calendar" } },
    });
    expect(await clockOf(db, conversation.id)).toMatchObject({
      clockStartedAt: at("2026-03-06T17:00:00Z"),
      dueAt: at("2026-03-07T17:00:00Z"),
      atRiskAt: at("2026-03-07T15:00:00Z"),
      clock: "calendar",
    });
  });

  it("is for admins only", async () => {
    const { db } = database().handle;
    const inbox = await createInbox(db);
    for (const user of [supervisor, agent]) {
      await expect(
        updateSlaPolicy({
          ctx: ctxFor(db, actorFor(user), now),
          input: { inboxId: inbox.id, policy: { firstResponseMinutes: 60 } },
        }),
      ).rejects.toThrow(ForbiddenError);
    }
  });
});

describe("changing the business calendar", () => {
  it("recomputes running clocks under the new hours and moves the inbox's zone with it", async () => {
    const { db } = database().handle;
    const inbox = await createInbox(db, { timeZone: "Europe/London" });
    // Friday 17:00: 1 h on Friday, then Monday; due Wednesday 14:00 on the default calendar.
    const conversation = await startClock(db, inbox, at("2026-03-06T17:00:00Z"));
    expect((await clockOf(db, conversation.id)).dueAt).toEqual(at("2026-03-11T14:00:00Z"));

    const result = await updateBusinessHours({
      ctx: ctxFor(db, actorFor(admin), now),
      input: {
        inboxId: inbox.id,
        calendar: {
          timeZone: "Europe/London",
          weeklyHours: { ...weekdaysOnly(["09:00", "18:00"]), saturday: [{ start: "10:00", end: "14:00" }] },
          holidays: [{ date: "2026-03-09", recurring: false, name: "Staff day" }],
        },
        offHoursReply: { enabled: true, template: "We are closed; back {{next_opening}}." },
      },
    });
    expect(result.recomputedClocks).toBe(1);
    expect(result.customized).toEqual({ calendar: true, policy: false, offHoursReply: true });
    // Friday 1 h + Saturday 4 h; Monday is a holiday; Tuesday 9 h, Wednesday 9 h = 23 h; Thursday 10:00.
    expect((await clockOf(db, conversation.id)).dueAt).toEqual(at("2026-03-12T10:00:00Z"));

    await updateBusinessHours({
      ctx: ctxFor(db, actorFor(admin), now),
      input: { inboxId: inbox.id, calendar: { timeZone: "america/new_york" } },
    });
    const [row] = await db.select().from(inboxes).where(eq(inboxes.id, inbox.id));
    expect(row?.timeZone).toBe("America/New_York");
    const [settings] = await db.select().from(inboxSlaSettings).where(eq(inboxSlaSettings.inboxId, inbox.id));
    // The off-hours text set earlier stays when only the calendar is sent.
    expect(settings?.offHoursReplyTemplate).toBe("We are closed; back {{next_opening}}.");
    const [audit] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "inbox.business_hours_updated"), eq(auditLog.targetId, inbox.id)));
    expect(audit?.actorId).toBe(admin.id);
  });

  it("is for admins only", async () => {
    const { db } = database().handle;
    const inbox = await createInbox(db);
    await expect(
      updateBusinessHours({
        ctx: ctxFor(db, actorFor(supervisor), now),
        input: { inboxId: inbox.id, calendar: { timeZone: "UTC" } },
      }),
    ).rejects.toThrow(ForbiddenError);
  });
});

describe("bad settings", () => {
  async function refusal(work: Promise<unknown>) {
    const error: unknown = await work.then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    return mapError(error);
  }

  it.each([
    [
      "overlapping intervals",
      {
        timeZone: "Europe/London",
        weeklyHours: {
          monday: [
            { start: "09:00", end: "13:00" },
            { start: "12:00", end: "18:00" },
          ],
        },
      },
      "calendar.weeklyHours.monday.1: Monday 09:00–13:00 overlaps 12:00–18:00: make one interval end before the other starts",
    ],
    [
      "an empty interval",
      { timeZone: "Europe/London", weeklyHours: { tuesday: [{ start: "09:00", end: "09:00" }] } },
      "calendar.weeklyHours.tuesday.0: Tuesday 09:00–09:00 is empty: its closing time must come after its opening time",
    ],
    [
      "an unknown time zone",
      { timeZone: "Mars/Olympus_Mons" },
      'calendar.timeZone: "Mars/Olympus_Mons" is not a known time zone: use an IANA name such as "Europe/London" or "America/New_York"',
    ],
    [
      "no open hours at all",
      { timeZone: "UTC", weeklyHours: { monday: [], tuesday: [], wednesday: [], thursday: [], friday: [] } },
      "calendar.weeklyHours: the calendar has no open hours: add at least one interval to a weekday, or clocks would never end",
    ],
  ])(
    "refuses a calendar with %s: 400 with a message saying what to fix",
    async (_name, calendar, message) => {
      const { db } = database().handle;
      const inbox = await createInbox(db, { offHoursReply: true }); // no settings row until one is saved
      const mapped = await refusal(
        updateBusinessHours({
          ctx: ctxFor(db, actorFor(admin), now),
          input: { inboxId: inbox.id, calendar },
        }),
      );
      expect(mapped.status).toBe(400);
      expect(mapped.body.error).toEqual({ code: "invalid_input", message });
      expect(await db.select().from(inboxSlaSettings).where(eq(inboxSlaSettings.inboxId, inbox.id))).toEqual(
        [],
      );
    },
  );

  it.each([
    [
      "zero",
      { firstResponseMinutes: 0 },
      "policy.firstResponseMinutes: the first-response target must be more than zero minutes (got 0)",
    ],
    [
      "negative",
      { nextResponseMinutes: -30 },
      "policy.nextResponseMinutes: the next-response target must be more than zero minutes (got -30)",
    ],
    [
      "an unknown clock",
      { clock: "lunar" },
      'policy.clock: the clock must be "business_hours" or "calendar"',
    ],
  ])("refuses a policy with a %s target or clock: 400 with a message", async (_name, policy, message) => {
    const { db } = database().handle;
    const inbox = await createInbox(db);
    const mapped = await refusal(
      updateSlaPolicy({
        ctx: ctxFor(db, actorFor(admin), now),
        input: unparsed<UpdateSlaPolicyInput>({ inboxId: inbox.id, policy }),
      }),
    );
    expect(mapped.status).toBe(400);
    expect(mapped.body.error).toEqual({ code: "invalid_input", message });
  });

  it("refuses an off-hours reply with an unknown variable", async () => {
    const { db } = database().handle;
    const inbox = await createInbox(db);
    const mapped = await refusal(
      updateBusinessHours({
        ctx: ctxFor(db, actorFor(admin), now),
        input: {
          inboxId: inbox.id,
          calendar: { timeZone: "UTC" },
          offHoursReply: { enabled: true, template: "Back {{when}}" },
        },
      }),
    );
    expect(mapped.status).toBe(400);
    expect(mapped.body.error.message).toMatch(/^offHoursReply\.template: unknown variable \{\{when\}\}/);
  });
});
