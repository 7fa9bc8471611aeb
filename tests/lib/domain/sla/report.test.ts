import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db";
import { auditLog, slaEvents, type Inbox, type NewSlaEvent, type User } from "@/lib/db/schema";
import { ForbiddenError, NotFoundError } from "@/lib/domain/errors";
import { exportSlaReport, slaReport } from "@/lib/domain/sla";
import { setupTestDatabase } from "../../../support/db";
import {
  actorFor,
  addMember,
  createContact,
  createConversation,
  createInbox,
  createUser,
  ctxFor,
} from "../../../support/factories";
import { at } from "../../../support/sla";

const database = setupTestDatabase();
const now = at("2026-03-10T12:00:00Z");
const period = { from: "2026-03-02", to: "2026-03-09" };

let support: Inbox;
let sales: Inbox;
let hidden: Inbox;
let sam: User;
let dana: User;
let lee: User;

interface Clock {
  inbox: Inbox;
  contact?: string;
  kind?: "first_response" | "next_response";
  startedAt: string;
  dueAt: string;
  metAt?: string;
  metBy?: User;
  responseMinutes?: number;
  stoppedAt?: string;
  breachedAt?: string;
  review?: Pick<NewSlaEvent, "reviewReason" | "reviewNote">;
}

async function insertClock(db: Database, clock: Clock) {
  const contact = await createContact(db, clock.inbox.id, { profileName: clock.contact ?? "Customer" });
  const conversation = await createConversation(db, clock.inbox.id, { contactId: contact.id });
  const dueAt = at(clock.dueAt);
  await db.insert(slaEvents).values({
    conversationId: conversation.id,
    inboxId: clock.inbox.id,
    kind: clock.kind ?? "first_response",
    startedAt: at(clock.startedAt),
    clockStartedAt: at(clock.startedAt),
    dueAt,
    atRiskAt: new Date(dueAt.getTime() - 2 * 3_600_000),
    targetMinutes: 1440,
    clock: "business_hours",
    metAt: clock.metAt ? at(clock.metAt) : null,
    metBy: clock.metBy?.id ?? null,
    responseMinutes: clock.responseMinutes ?? null,
    stoppedAt: clock.stoppedAt ? at(clock.stoppedAt) : null,
    breachedAt: clock.breachedAt ? at(clock.breachedAt) : null,
    ...(clock.review ? { reviewedAt: now, reviewedBy: sam.id, ...clock.review } : {}),
  });
}

beforeAll(async () => {
  const { db } = database().handle;
  support = await createInbox(db, { name: "Support" });
  sales = await createInbox(db, { name: "Sales" });
  hidden = await createInbox(db, { name: "Hidden" });
  sam = await createUser(db, { name: "Sam Supervisor", role: "supervisor" });
  dana = await createUser(db, { name: "Dana Agent" });
  lee = await createUser(db, { name: "Lee Agent" });
  for (const inbox of [support, sales]) await addMember(db, inbox.id, sam.id);
  await addMember(db, support.id, dana.id);

  const onTime = (
    startedAt: string,
    minutes: number,
    metBy: User,
    kind: Clock["kind"] = "first_response",
  ) => ({
    startedAt,
    dueAt: "2026-03-06T18:00:00Z",
    metAt: startedAt.replace("09:00", "10:00"),
    metBy,
    responseMinutes: minutes,
    kind,
  });
  const clocks: Clock[] = [
    // Support: Dana answers five first responses (the last one late), Lee one first and one next.
    { inbox: support, ...onTime("2026-03-02T09:00:00Z", 10, dana) },
    { inbox: support, ...onTime("2026-03-02T09:00:00Z", 20, dana) },
    { inbox: support, ...onTime("2026-03-03T09:00:00Z", 30, dana) },
    { inbox: support, ...onTime("2026-03-03T09:00:00Z", 40, dana) },
    {
      inbox: support,
      contact: "Late Larry",
      startedAt: "2026-03-02T09:00:00Z",
      dueAt: "2026-03-03T12:00:00Z",
      metAt: "2026-03-03T13:00:00Z",
      metBy: dana,
      responseMinutes: 50,
      breachedAt: "2026-03-03T12:00:10Z",
      review: { reviewReason: "complex_case", reviewNote: "Needed the warehouse, then the carrier" },
    },
    { inbox: support, ...onTime("2026-03-04T09:00:00Z", 5, lee) },
    { inbox: support, ...onTime("2026-03-04T09:00:00Z", 15, lee, "next_response") },
    // Running and not yet due; running and past due (the ticker has not marked it yet).
    { inbox: support, startedAt: "2026-03-08T09:00:00Z", dueAt: "2026-03-11T09:00:00Z" },
    {
      inbox: support,
      contact: '=HYPERLINK("http://evil.example")',
      startedAt: "2026-03-04T09:00:00Z",
      dueAt: "2026-03-06T10:00:00Z",
    },
    // Resolved in time without a reply; resolved after the deadline.
    {
      inbox: support,
      startedAt: "2026-03-05T09:00:00Z",
      dueAt: "2026-03-07T09:00:00Z",
      stoppedAt: "2026-03-05T10:00:00Z",
    },
    {
      inbox: support,
      startedAt: "2026-03-04T09:00:00Z",
      dueAt: "2026-03-05T23:30:00Z",
      stoppedAt: "2026-03-06T01:00:00Z",
      breachedAt: "2026-03-05T23:30:05Z",
    },
    // Sales: one answered in 100 minutes, one never answered.
    { inbox: sales, ...onTime("2026-03-02T09:00:00Z", 100, dana) },
    {
      inbox: sales,
      startedAt: "2026-03-04T09:00:00Z",
      dueAt: "2026-03-06T16:00:00Z",
      breachedAt: "2026-03-06T16:00:05Z",
    },
    // Not the supervisor's inbox, and outside the period: left out of everything.
    { inbox: hidden, ...onTime("2026-03-02T09:00:00Z", 1000, dana) },
    { inbox: support, ...onTime("2026-02-20T09:00:00Z", 9999, dana) },
  ];
  for (const clock of clocks) await insertClock(db, clock);
});

describe("the SLA report", () => {
  it("gives the hit rate and first-response times over the supervisor's inboxes", async () => {
    const { db } = database().handle;
    const report = await slaReport({ ctx: ctxFor(db, actorFor(sam), now), input: period });
    // Met: 7; breached: late reply, unanswered past due (×2), resolved after due; 1 stopped in time, 1 running.
    expect(report.totals).toEqual({
      clocks: 13,
      met: 7,
      breached: 4,
      stopped: 1,
      running: 1,
      hitRate: 7 / 11,
      // First responses answered: 5, 10, 20, 30, 40, 50, 100. Median 30; p90 at rank 5.4: 50 + 0.4 × 50.
      firstResponse: { count: 7, medianMinutes: 30, p90Minutes: 70 },
    });
  });

  it("breaks the figures down per inbox", async () => {
    const { db } = database().handle;
    const report = await slaReport({ ctx: ctxFor(db, actorFor(sam), now), input: period });
    expect(report.perInbox).toEqual([
      {
        inboxId: sales.id,
        inboxName: "Sales",
        clocks: 2,
        met: 1,
        breached: 1,
        stopped: 0,
        running: 0,
        hitRate: 0.5,
        firstResponse: { count: 1, medianMinutes: 100, p90Minutes: 100 },
      },
      {
        inboxId: support.id,
        inboxName: "Support",
        clocks: 11,
        met: 6,
        breached: 3,
        stopped: 1,
        running: 1,
        hitRate: 6 / 9,
        // 5, 10, 20, 30, 40, 50: median (20 + 30) / 2; p90 at rank 4.5: 40 + 0.5 × 10.
        firstResponse: { count: 6, medianMinutes: 25, p90Minutes: 45 },
      },
    ]);
  });

  it("breaks the figures down per agent, by the clocks each answered", async () => {
    const { db } = database().handle;
    const report = await slaReport({ ctx: ctxFor(db, actorFor(sam), now), input: period });
    expect(report.perAgent).toEqual([
      {
        agentId: dana.id,
        agentName: "Dana Agent",
        responses: 6,
        onTime: 5,
        late: 1,
        hitRate: 5 / 6,
        // 10, 20, 30, 40, 50, 100: median 35; p90 at rank 4.5: 50 + 0.5 × 50.
        firstResponse: { count: 6, medianMinutes: 35, p90Minutes: 75 },
      },
      {
        agentId: lee.id,
        agentName: "Lee Agent",
        responses: 2,
        onTime: 2,
        late: 0,
        hitRate: 1,
        firstResponse: { count: 1, medianMinutes: 5, p90Minutes: 5 },
      },
    ]);
  });

  it("counts the first-response time distribution in buckets", async () => {
    const { db } = database().handle;
    const report = await slaReport({ ctx: ctxFor(db, actorFor(sam), now), input: period });
    expect(report.firstResponseDistribution.map((bucket) => [bucket.label, bucket.count])).toEqual([
      ["under 15 min", 2],
      ["15–60 min", 4],
      ["1–4 h", 1],
      ["4–8 h", 0],
      ["8–24 h", 0],
      ["over 24 h", 0],
    ]);
  });

  it("counts breaches per day of their deadline, every day of the period, in the viewer's zone", async () => {
    const { db } = database().handle;
    const ctx = ctxFor(db, actorFor(sam), now);
    const utc = await slaReport({ ctx, input: period });
    expect(utc.breachesPerDay).toEqual([
      { day: "2026-03-02", breaches: 0 },
      { day: "2026-03-03", breaches: 1 },
      { day: "2026-03-04", breaches: 0 },
      { day: "2026-03-05", breaches: 1 },
      { day: "2026-03-06", breaches: 2 },
      { day: "2026-03-07", breaches: 0 },
      { day: "2026-03-08", breaches: 0 },
    ]);
    // In Tokyo (UTC+9) the 23:30 UTC deadline falls on the next day, and so does 16:00 UTC.
    const tokyo = await slaReport({ ctx, input: { ...period, timeZone: "Asia/Tokyo" } });
    expect(tokyo.breachesPerDay.filter((day) => day.breaches > 0)).toEqual([
      { day: "2026-03-03", breaches: 1 },
      { day: "2026-03-06", breaches: 2 },
      { day: "2026-03-07", breaches: 1 },
    ]);
    expect(tokyo.breachesPerDay.map((day) => day.day)).toEqual([
      "2026-03-02",
      "2026-03-03",
      "2026-03-04",
      "2026-03-05",
      "2026-03-06",
      "2026-03-07",
      "2026-03-08",
      "2026-03-09",
    ]);
  });

  it("narrows to one of the supervisor's inboxes; another inbox is not found", async () => {
    const { db } = database().handle;
    const ctx = ctxFor(db, actorFor(sam), now);
    const report = await slaReport({ ctx, input: { ...period, inboxId: sales.id } });
    expect(report.totals.clocks).toBe(2);
    await expect(slaReport({ ctx, input: { ...period, inboxId: hidden.id } })).rejects.toThrow(NotFoundError);
  });

  it("refuses agents, a backwards period and an unknown zone", async () => {
    const { db } = database().handle;
    await expect(slaReport({ ctx: ctxFor(db, actorFor(dana), now), input: period })).rejects.toThrow(
      ForbiddenError,
    );
    const ctx = ctxFor(db, actorFor(sam), now);
    await expect(slaReport({ ctx, input: { from: "2026-03-09", to: "2026-03-02" } })).rejects.toThrow(
      "from must be before to",
    );
    await expect(slaReport({ ctx, input: { ...period, timeZone: "Nowhere/Special" } })).rejects.toThrow(
      /is not a known time zone/,
    );
  });
});

describe("the CSV export", () => {
  it("has one row per clock in the period, safe for spreadsheets, and is audited", async () => {
    const { db } = database().handle;
    const exported = await exportSlaReport({ ctx: ctxFor(db, actorFor(sam), now), input: period });
    expect(exported.filename).toBe("sla-2026-03-02-to-2026-03-09.csv");
    expect(exported.rows).toBe(13);
    expect(exported.csv.startsWith("\uFEFFsla_event_id,inbox,conversation_id,contact,kind,outcome,")).toBe(
      true,
    );
    const lines = exported.csv.slice(1).split("\r\n");
    expect(lines).toHaveLength(13 + 2);
    expect(lines.at(-1)).toBe("");
    // A contact name that a spreadsheet would run as a formula is written as text.
    expect(exported.csv).toContain(`,"'=HYPERLINK(""http://evil.example"")",first_response,breached,`);
    const late = lines.find((line) => line.includes("Late Larry"));
    expect(late).toContain(
      ",first_response,breached,2026-03-02T09:00:00.000Z,2026-03-02T09:00:00.000Z,2026-03-03T12:00:00.000Z,1440,business_hours,2026-03-03T13:00:00.000Z,Dana Agent,50,",
    );
    expect(late).toMatch(/,Sam Supervisor,complex_case,"Needed the warehouse, then the carrier"$/);

    const [audit] = await db.select().from(auditLog).where(eq(auditLog.action, "reports.sla_exported"));
    expect(audit).toMatchObject({ actorId: sam.id });
    expect(audit?.details).toMatchObject({ rows: 13, from: "2026-03-02T00:00:00.000Z" });
  });

  it("is refused to agents", async () => {
    const { db } = database().handle;
    await expect(exportSlaReport({ ctx: ctxFor(db, actorFor(dana), now), input: period })).rejects.toThrow(
      ForbiddenError,
    );
  });
});
