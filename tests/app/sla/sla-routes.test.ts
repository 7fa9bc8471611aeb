import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getSettings, PUT as putSettings } from "@/app/api/v1/inboxes/[id]/sla-settings/route";
import { GET as boardRoute } from "@/app/api/v1/sla/board/route";
import { POST as review } from "@/app/api/v1/sla/breaches/[id]/review/route";
import { GET as breachesRoute } from "@/app/api/v1/sla/breaches/route";
import { GET as exportRoute } from "@/app/api/v1/sla/reports/export/route";
import { GET as reportRoute } from "@/app/api/v1/sla/reports/route";
import { clearDatabaseHandle, setDatabaseHandle, type Database } from "@/lib/db";
import { auditLog, conversations, slaEvents, type Inbox } from "@/lib/db/schema";
import { onCustomerMessage } from "@/lib/domain/sla";
import { markBreaches } from "@/lib/domain/sla/breaches";
import { setupTestDatabase } from "../../support/db";
import { addMember, createContact, createConversation, createInbox } from "../../support/factories";
import { apiRequest, createAccount, params, sessionCookie, type TestAccount } from "../../support/auth";

const database = setupTestDatabase();
// Routes without dynamic segments get no route context.
const board = (request: Request) => boardRoute(request, undefined);
const breaches = (request: Request) => breachesRoute(request, undefined);
const report = (request: Request) => reportRoute(request, undefined);
const exportReport = (request: Request) => exportRoute(request, undefined);
let support: Inbox;
let sales: Inbox;
let admin: TestAccount;
let supervisor: TestAccount;
let agent: TestAccount;
const cookie: Record<"admin" | "supervisor" | "agent", string> = { admin: "", supervisor: "", agent: "" };

type ErrorBody = { error: { code: string; message: string } };
const errorOf = async (response: Response) => ((await response.json()) as ErrorBody).error;

/** A customer message that arrived `hoursAgo` on a calendar-time clock, so its state follows real time. */
async function clock(db: Database, inbox: Inbox, name: string, hoursAgo: number) {
  const contact = await createContact(db, inbox.id, { profileName: name });
  const conversation = await createConversation(db, inbox.id, { contactId: contact.id });
  await db.transaction((tx) =>
    onCustomerMessage(tx, {
      conversationId: conversation.id,
      inboxId: inbox.id,
      arrivedAt: new Date(Date.now() - hoursAgo * 3_600_000),
    }),
  );
  const [event] = await db.select().from(slaEvents).where(eq(slaEvents.conversationId, conversation.id));
  if (!event) throw new Error("no clock");
  return { conversation, event };
}

const settingsBody = (overrides: Record<string, unknown> = {}) => ({
  calendar: {
    timeZone: "Europe/London",
    weeklyHours: {
      monday: [
        { start: "09:00", end: "12:30" },
        { start: "13:30", end: "18:00" },
      ],
      tuesday: [{ start: "09:00", end: "18:00" }],
    },
    holidays: [{ date: "2026-12-25", recurring: true, name: "Christmas" }],
  },
  policy: { firstResponseMinutes: 1440, nextResponseMinutes: 1440, clock: "calendar" },
  offHoursReply: { enabled: true, template: "We are closed; back {{next_opening}}." },
  ...overrides,
});

beforeAll(async () => {
  const { db } = database().handle;
  setDatabaseHandle(database().handle);
  support = await createInbox(db, { name: "Support" });
  sales = await createInbox(db, { name: "Sales" });
  admin = await createAccount(db, { role: "admin", inboxIds: [support.id, sales.id] });
  supervisor = await createAccount(db, { role: "supervisor", inboxIds: [support.id] });
  agent = await createAccount(db, { role: "agent", inboxIds: [support.id] });
  cookie.admin = await sessionCookie(admin);
  cookie.supervisor = await sessionCookie(supervisor);
  cookie.agent = await sessionCookie(agent);
  // Calendar time, 24 h: the states below hold whatever the hour the suite runs at.
  for (const inbox of [support, sales]) {
    const response = await putSettings(
      apiRequest(`/api/v1/inboxes/${inbox.id}/sla-settings`, {
        method: "PUT",
        cookie: cookie.admin,
        body: settingsBody(),
      }),
      params({ id: inbox.id }),
    );
    expect(response.status).toBe(200);
  }
});

afterAll(() => clearDatabaseHandle());

describe("GET/PUT /api/v1/inboxes/:id/sla-settings", () => {
  it("saves calendar, policy and off-hours text for admins, audits each part, and reads them back", async () => {
    const { db } = database().handle;
    const inbox = await createInbox(db, { name: "Settings" });
    await addMember(db, inbox.id, admin.id);
    const running = await clock(db, inbox, "Rita Running", 1);
    const response = await putSettings(
      apiRequest(`/api/v1/inboxes/${inbox.id}/sla-settings`, {
        method: "PUT",
        cookie: cookie.admin,
        body: settingsBody({
          policy: { firstResponseMinutes: 120, nextResponseMinutes: 60, clock: "calendar" },
        }),
      }),
      params({ id: inbox.id }),
    );
    expect(response.status).toBe(200);
    const saved = (await response.json()) as { recomputedClocks: number; offHoursVariables: string[] };
    expect(saved.recomputedClocks).toBe(1);
    expect(saved.offHoursVariables).toContain("next_opening");
    // The running clock now follows the 2-hour calendar-time target from its arrival.
    const [event] = await db.select().from(slaEvents).where(eq(slaEvents.id, running.event.id));
    expect((event?.dueAt.getTime() ?? 0) - (event?.startedAt.getTime() ?? 0)).toBe(120 * 60_000);

    const read = await getSettings(
      apiRequest(`/api/v1/inboxes/${inbox.id}/sla-settings`, { cookie: cookie.admin }),
      params({ id: inbox.id }),
    );
    const body = (await read.json()) as {
      calendar: { weeklyHours: { monday: unknown[] }; holidays: unknown[] };
      policy: unknown;
      offHoursReply: unknown;
    };
    expect(body.calendar.weeklyHours.monday).toHaveLength(2);
    expect(body.calendar.holidays).toEqual([{ date: "2026-12-25", recurring: true, name: "Christmas" }]);
    expect(body.policy).toEqual({ firstResponseMinutes: 120, nextResponseMinutes: 60, clock: "calendar" });
    expect(body.offHoursReply).toEqual({ enabled: true, template: "We are closed; back {{next_opening}}." });

    const audits = await db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(and(eq(auditLog.targetType, "inbox"), eq(auditLog.targetId, inbox.id)));
    expect(audits.map((row) => row.action).sort()).toEqual([
      "inbox.business_hours_updated",
      "inbox.sla_policy_updated",
    ]);
  });

  it.each([
    ["an unknown zone", { calendar: { timeZone: "Mars/Olympus" } }, /not a known time zone/],
    [
      "overlapping intervals",
      {
        calendar: {
          timeZone: "UTC",
          weeklyHours: {
            monday: [
              { start: "09:00", end: "13:00" },
              { start: "12:00", end: "18:00" },
            ],
          },
        },
      },
      /overlaps/,
    ],
    [
      "an empty interval",
      { calendar: { timeZone: "UTC", weeklyHours: { monday: [{ start: "09:00", end: "09:00" }] } } },
      /is empty/,
    ],
    ["no open hours", { calendar: { timeZone: "UTC", weeklyHours: {} } }, /no open hours/],
    [
      "a zero target",
      { policy: { firstResponseMinutes: 0, nextResponseMinutes: 60, clock: "calendar" } },
      /more than zero/,
    ],
    [
      "a negative target",
      { policy: { firstResponseMinutes: 60, nextResponseMinutes: -5, clock: "calendar" } },
      /more than zero/,
    ],
    [
      "an unknown variable",
      { offHoursReply: { enabled: true, template: "Back {{when}}" } },
      /unknown variable/,
    ],
  ])("refuses %s with a 400 that says what to fix, changing nothing", async (_name, overrides, message) => {
    const { db } = database().handle;
    const before = await db.select().from(auditLog);
    const response = await putSettings(
      apiRequest(`/api/v1/inboxes/${support.id}/sla-settings`, {
        method: "PUT",
        cookie: cookie.admin,
        body: settingsBody(overrides),
      }),
      params({ id: support.id }),
    );
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe("invalid_input");
    expect(error.message).toMatch(message);
    expect(await db.select().from(auditLog)).toHaveLength(before.length);
  });

  it("refuses supervisors and agents (403), and answers 404 for an inbox that does not exist", async () => {
    for (const who of ["supervisor", "agent"] as const) {
      const response = await putSettings(
        apiRequest(`/api/v1/inboxes/${support.id}/sla-settings`, {
          method: "PUT",
          cookie: cookie[who],
          body: settingsBody(),
        }),
        params({ id: support.id }),
      );
      expect(response.status).toBe(403);
      const read = await getSettings(
        apiRequest(`/api/v1/inboxes/${support.id}/sla-settings`, { cookie: cookie[who] }),
        params({ id: support.id }),
      );
      expect(read.status).toBe(403);
    }
    const missing = "00000000-0000-4000-8000-000000000000";
    const response = await getSettings(
      apiRequest(`/api/v1/inboxes/${missing}/sla-settings`, { cookie: cookie.admin }),
      params({ id: missing }),
    );
    expect(response.status).toBe(404);
  });
});

describe("the SLA board, review queue and reports", () => {
  let breached: Awaited<ReturnType<typeof clock>>;
  let foreign: Awaited<ReturnType<typeof clock>>;
  let onTrack: Awaited<ReturnType<typeof clock>>;

  beforeAll(async () => {
    const { db } = database().handle;
    breached = await clock(db, support, "Bea Breached", 30);
    await clock(db, support, "Ravi AtRisk", 23);
    onTrack = await clock(db, support, "Olivia OnTrack", 1);
    foreign = await clock(db, sales, "Sally Sales", 30);
    await db.transaction((tx) => markBreaches(tx, { now: new Date() }));
  });

  it("shows a supervisor the at-risk and breached clocks of their own inboxes only, with the holder", async () => {
    const response = await board(apiRequest("/api/v1/sla/board", { cookie: cookie.supervisor }));
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      nextAtRiskAt: string | null;
      atRisk: { contact: { name: string } }[];
      breached: { contact: { name: string }; overdueMinutes: number; assignee: unknown }[];
    };
    expect(body.atRisk.map((item) => item.contact.name)).toEqual(["Ravi AtRisk"]);
    expect(body.breached.map((item) => item.contact.name)).toEqual(["Bea Breached"]);
    expect(body.breached[0]?.overdueMinutes).toBeGreaterThanOrEqual(359);
    // The on-track clock is the next to turn at risk: the board refreshes itself then.
    expect(body.nextAtRiskAt).toBe(onTrack.event.atRiskAt.toISOString());
  });

  it("refuses agents (403) on every SLA route, and another inbox's filter is 404", async () => {
    for (const handler of [board, breaches, report, exportReport]) {
      const response = await handler(
        apiRequest("/api/v1/sla/board?from=2026-01-01&to=2026-02-01", { cookie: cookie.agent }),
      );
      expect(response.status).toBe(403);
    }
    const response = await review(
      apiRequest(`/api/v1/sla/breaches/${breached.event.id}/review`, {
        method: "POST",
        cookie: cookie.agent,
        body: { reason: "staffing", note: "n" },
      }),
      params({ id: breached.event.id }),
    );
    expect(response.status).toBe(403);
    const foreignFilter = await board(
      apiRequest(`/api/v1/sla/board?inboxId=${sales.id}`, { cookie: cookie.supervisor }),
    );
    expect(foreignFilter.status).toBe(404);
  });

  it("lists breaches to review, refuses bad input, reviews with a reassignment once, 404 for other inboxes", async () => {
    const { db } = database().handle;
    const queue = await breaches(apiRequest("/api/v1/sla/breaches", { cookie: cookie.supervisor }));
    const items = ((await queue.json()) as { items: { slaEventId: string }[] }).items;
    expect(items.map((item) => item.slaEventId)).toEqual([breached.event.id]);

    const bad = await breaches(apiRequest("/api/v1/sla/breaches?limit=0", { cookie: cookie.supervisor }));
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).message).toMatch(/limit must be between 1 and 100/);

    const post = (id: string, body: unknown, who: keyof typeof cookie = "supervisor") =>
      review(
        apiRequest(`/api/v1/sla/breaches/${id}/review`, { method: "POST", cookie: cookie[who], body }),
        params({ id }),
      );
    const badReason = await post(breached.event.id, { reason: "bad_luck", note: "?" });
    expect(badReason.status).toBe(400);
    expect((await errorOf(badReason)).message).toMatch(
      /staffing, complex_case, customer_delay, tool_problem, other/,
    );
    const noNote = await post(breached.event.id, { reason: "staffing", note: " " });
    expect(noNote.status).toBe(400);
    expect((await post(foreign.event.id, { reason: "staffing", note: "Not mine" })).status).toBe(404);

    const done = await post(breached.event.id, {
      reason: "complex_case",
      note: "Needed the warehouse to confirm.",
      assigneeId: agent.id,
    });
    expect(done.status).toBe(200);
    expect(await done.json()).toMatchObject({ reviewReason: "complex_case", reassignedTo: agent.id });
    const [conversation] = await db
      .select()
      .from(conversations)
      .where(eq(conversations.id, breached.conversation.id));
    expect(conversation?.assigneeId).toBe(agent.id);
    expect((await post(breached.event.id, { reason: "other", note: "Again" })).status).toBe(409);
  });

  it("reports hit rate and breaches for the period, and refuses a backwards period", async () => {
    const from = new Date(Date.now() - 3 * 86_400_000).toISOString();
    const to = new Date(Date.now() + 86_400_000).toISOString();
    const response = await report(
      apiRequest(`/api/v1/sla/reports?from=${from}&to=${to}`, { cookie: cookie.supervisor }),
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      totals: { clocks: number; breached: number };
      perInbox: { inboxName: string }[];
      breachesPerDay: { breaches: number }[];
    };
    // Sales is not the supervisor's: only Support's clocks count.
    expect(body.perInbox.map((row) => row.inboxName)).toEqual(["Support"]);
    expect(body.totals.breached).toBe(1);
    expect(body.breachesPerDay.reduce((sum, day) => sum + day.breaches, 0)).toBe(1);

    const backwards = await report(
      apiRequest(`/api/v1/sla/reports?from=${to}&to=${from}`, { cookie: cookie.supervisor }),
    );
    expect(backwards.status).toBe(400);
    expect((await errorOf(backwards)).message).toMatch(/from must be before to/);
    const garbage = await report(
      apiRequest(`/api/v1/sla/reports?from=yesterday&to=${to}`, { cookie: cookie.supervisor }),
    );
    expect(garbage.status).toBe(400);
  });

  it("exports the rows as a CSV download, audited", async () => {
    const { db } = database().handle;
    const from = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);
    const to = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const response = await exportReport(
      apiRequest(`/api/v1/sla/reports/export?from=${from}&to=${to}`, { cookie: cookie.supervisor }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(response.headers.get("content-disposition")).toMatch(/attachment; filename="sla-.*\.csv"/);
    const csv = await response.text();
    expect(csv).toContain("Bea Breached");
    expect(csv).not.toContain("Sally Sales");
    const audits = await db.select().from(auditLog).where(eq(auditLog.action, "reports.sla_exported"));
    expect(audits).toHaveLength(1);
  });
});
