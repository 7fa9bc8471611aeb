import { aliasedTable, and, asc, eq, gte, isNotNull, lt, sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/lib/db";
import { queryRows } from "@/lib/db/raw";
import { contacts, conversations, inboxes, slaEvents, users } from "@/lib/db/schema";
import type { Actor } from "../context";
import { inTransaction, requirePermission, type Ctx } from "../context";
import { recordAudit } from "../audit";
import { toCsv } from "./csv";
import { assertInboxVisible, visibleSlaEvents } from "./scope";
import { periodInput, slaReportInput, type SlaExportInput, type SlaReportInput } from "./schemas";

/**
 * SLA reports over a period. A clock belongs to the period its customer message arrived in
 * ([from, to)); its outcome is judged at `now`:
 * - met: answered by its deadline (a reply at the deadline itself is on time);
 * - breached: answered late, resolved after the deadline, or still unanswered past it;
 * - stopped: resolved before the deadline without a reply (counted neither way);
 * - running: unanswered and not yet due.
 * Hit rate = met / (met + breached). Response times are on the clock the deadline used
 * (business minutes on business hours), from arrival to the reply.
 */
export type SlaOutcome = "met" | "breached" | "stopped" | "running";

function at(date: Date): SQL {
  return sql`${date.toISOString()}::timestamptz`;
}

function outcomeOf(now: Date): SQL<SlaOutcome> {
  return sql<SlaOutcome>`(case
    when ${slaEvents.metAt} is not null and ${slaEvents.metAt} <= ${slaEvents.dueAt} then 'met'
    when ${slaEvents.dueAt} < coalesce(${slaEvents.metAt}, ${slaEvents.stoppedAt}, ${at(now)}) then 'breached'
    when ${slaEvents.stoppedAt} is not null then 'stopped'
    else 'running' end)`;
}

const firstResponseMet = sql`${slaEvents.kind} = 'first_response' and ${slaEvents.metAt} is not null`;

export interface ResponseTimes {
  count: number;
  medianMinutes: number | null;
  p90Minutes: number | null;
}

export interface OutcomeCounts {
  clocks: number;
  met: number;
  breached: number;
  stopped: number;
  running: number;
  /** met / (met + breached); null when nothing was decided. */
  hitRate: number | null;
}

/** First-response time buckets for the distribution chart, in minutes on the policy's clock. */
export const responseTimeBuckets: { label: string; fromMinutes: number; toMinutes: number | null }[] = [
  { label: "under 15 min", fromMinutes: 0, toMinutes: 15 },
  { label: "15–60 min", fromMinutes: 15, toMinutes: 60 },
  { label: "1–4 h", fromMinutes: 60, toMinutes: 240 },
  { label: "4–8 h", fromMinutes: 240, toMinutes: 480 },
  { label: "8–24 h", fromMinutes: 480, toMinutes: 1440 },
  { label: "over 24 h", fromMinutes: 1440, toMinutes: null },
];

function aggregates(now: Date) {
  const outcome = outcomeOf(now);
  return {
    clocks: sql<number>`count(*)::int`,
    met: sql<number>`(count(*) filter (where ${outcome} = 'met'))::int`,
    breached: sql<number>`(count(*) filter (where ${outcome} = 'breached'))::int`,
    stopped: sql<number>`(count(*) filter (where ${outcome} = 'stopped'))::int`,
    running: sql<number>`(count(*) filter (where ${outcome} = 'running'))::int`,
    frtCount: sql<number>`(count(*) filter (where ${firstResponseMet}))::int`,
    frtMedian: sql<
      number | null
    >`percentile_cont(0.5) within group (order by ${slaEvents.responseMinutes}) filter (where ${firstResponseMet})`.mapWith(
      Number,
    ),
    frtP90: sql<
      number | null
    >`percentile_cont(0.9) within group (order by ${slaEvents.responseMinutes}) filter (where ${firstResponseMet})`.mapWith(
      Number,
    ),
  };
}

type AggregateRow = {
  clocks: number;
  met: number;
  breached: number;
  stopped: number;
  running: number;
  frtCount: number;
  frtMedian: number | null;
  frtP90: number | null;
};

function outcomeCounts(row: AggregateRow | undefined): OutcomeCounts {
  const met = row?.met ?? 0;
  const breached = row?.breached ?? 0;
  return {
    clocks: row?.clocks ?? 0,
    met,
    breached,
    stopped: row?.stopped ?? 0,
    running: row?.running ?? 0,
    hitRate: met + breached > 0 ? met / (met + breached) : null,
  };
}

function responseTimes(
  row: Pick<AggregateRow, "frtCount" | "frtMedian" | "frtP90"> | undefined,
): ResponseTimes {
  return {
    count: row?.frtCount ?? 0,
    medianMinutes: roundMinutes(row?.frtMedian),
    p90Minutes: roundMinutes(row?.frtP90),
  };
}

/** Hundredths of a minute: finer than anyone reads, coarse enough to hide floating-point noise. */
function roundMinutes(value: number | null | undefined): number | null {
  return value === null || value === undefined ? null : Math.round(value * 100) / 100;
}

function periodScope(
  db: Executor,
  actor: Actor,
  period: { from: Date; to: Date; inboxId?: string | undefined },
): SQL | undefined {
  return and(
    visibleSlaEvents(db, actor),
    period.inboxId ? eq(slaEvents.inboxId, period.inboxId) : undefined,
    gte(slaEvents.startedAt, at(period.from)),
    lt(slaEvents.startedAt, at(period.to)),
  );
}

/**
 * Hit rate, breaches per day, and first-response times (median, 90th percentile and a
 * distribution), overall, per inbox and per agent, for the actor's inboxes. All in SQL.
 */
export async function slaReport({ ctx, input }: { ctx: Ctx; input: SlaReportInput }) {
  requirePermission(ctx.actor, "reports.read");
  const query = slaReportInput.parse(input);
  await assertInboxVisible(ctx.db, ctx.actor, query.inboxId);
  const scope = periodScope(ctx.db, ctx.actor, query);
  const columns = aggregates(ctx.now);

  const [totals] = await ctx.db.select(columns).from(slaEvents).where(scope);

  const perInbox = await ctx.db
    .select({ inboxId: slaEvents.inboxId, inboxName: inboxes.name, ...columns })
    .from(slaEvents)
    .innerJoin(inboxes, eq(inboxes.id, slaEvents.inboxId))
    .where(scope)
    .groupBy(slaEvents.inboxId, inboxes.name)
    .orderBy(asc(inboxes.name));

  // Agents are judged on the clocks they answered: on time or late.
  const perAgent = await ctx.db
    .select({
      agentId: users.id,
      agentName: users.name,
      responses: sql<number>`count(*)::int`,
      onTime: sql<number>`(count(*) filter (where ${slaEvents.metAt} <= ${slaEvents.dueAt}))::int`,
      late: sql<number>`(count(*) filter (where ${slaEvents.metAt} > ${slaEvents.dueAt}))::int`,
      frtCount: columns.frtCount,
      frtMedian: columns.frtMedian,
      frtP90: columns.frtP90,
    })
    .from(slaEvents)
    .innerJoin(users, eq(users.id, slaEvents.metBy))
    .where(and(scope, isNotNull(slaEvents.metAt)))
    .groupBy(users.id, users.name)
    .orderBy(asc(users.name));

  const bucketColumns = Object.fromEntries(
    responseTimeBuckets.map((bucket, index) => [
      `b${index}`,
      sql<number>`(count(*) filter (where ${firstResponseMet} and ${slaEvents.responseMinutes} >= ${bucket.fromMinutes}${
        bucket.toMinutes === null ? sql`` : sql` and ${slaEvents.responseMinutes} < ${bucket.toMinutes}`
      }))::int`,
    ]),
  );
  const [buckets] = await ctx.db.select(bucketColumns).from(slaEvents).where(scope);

  return {
    period: { from: query.from, to: query.to, timeZone: query.timeZone, inboxId: query.inboxId ?? null },
    totals: { ...outcomeCounts(totals), firstResponse: responseTimes(totals) },
    perInbox: perInbox.map((row) => ({
      inboxId: row.inboxId,
      inboxName: row.inboxName,
      ...outcomeCounts(row),
      firstResponse: responseTimes(row),
    })),
    perAgent: perAgent.map((row) => ({
      agentId: row.agentId,
      agentName: row.agentName,
      responses: row.responses,
      onTime: row.onTime,
      late: row.late,
      hitRate: row.responses > 0 ? row.onTime / row.responses : null,
      firstResponse: responseTimes(row),
    })),
    breachesPerDay: await breachesPerDay(ctx, query),
    firstResponseDistribution: responseTimeBuckets.map((bucket, index) => ({
      ...bucket,
      count: Number(buckets?.[`b${index}`] ?? 0),
    })),
  };
}

export type SlaReport = Awaited<ReturnType<typeof slaReport>>;

/**
 * Breaches by the calendar day (in `timeZone`) their deadline passed, for every day of the
 * period, zeros included. This chart selects by deadline rather than arrival: a day's bar is
 * the breaches that happened that day.
 */
async function breachesPerDay(
  ctx: Ctx,
  query: { from: Date; to: Date; timeZone: string; inboxId?: string | undefined },
): Promise<{ day: string; breaches: number }[]> {
  const outcome = outcomeOf(ctx.now);
  const dayOfDeadline = sql`(${slaEvents.dueAt} at time zone ${query.timeZone})::date`;
  const breached = ctx.db
    .select({ day: sql`${dayOfDeadline}`.as("day"), breaches: sql<number>`count(*)::int`.as("breaches") })
    .from(slaEvents)
    .where(
      and(
        visibleSlaEvents(ctx.db, ctx.actor),
        query.inboxId ? eq(slaEvents.inboxId, query.inboxId) : undefined,
        gte(slaEvents.dueAt, at(query.from)),
        lt(slaEvents.dueAt, at(query.to)),
        sql`${outcome} = 'breached'`,
      ),
    )
    // By position: the zone is a bound parameter, so the expression could not be matched by text.
    .groupBy(sql`1`)
    .as("breached");
  const rows = await queryRows<{ day: string; breaches: number | string }>(
    ctx.db,
    sql`select to_char(d, 'YYYY-MM-DD') as day, coalesce(breached.breaches, 0)::int as breaches
      from generate_series(
        (${at(query.from)} at time zone ${query.timeZone})::date,
        ((${at(query.to)} - interval '1 millisecond') at time zone ${query.timeZone})::date,
        interval '1 day') as d
      left join ${breached} on breached.day = d::date
      order by d`,
  );
  return rows.map((row) => ({ day: row.day, breaches: Number(row.breaches) }));
}

const exportHeader = [
  "sla_event_id",
  "inbox",
  "conversation_id",
  "contact",
  "kind",
  "outcome",
  "arrived_at",
  "clock_started_at",
  "due_at",
  "target_minutes",
  "clock",
  "met_at",
  "met_by",
  "response_minutes",
  "stopped_at",
  "breached_at",
  "reviewed_at",
  "reviewed_by",
  "review_reason",
  "review_note",
];

/**
 * The rows behind the report, as CSV (with a byte-order mark so spreadsheets read UTF-8 names).
 * Contact names are personal data, so the export itself is audited.
 */
export async function exportSlaReport({ ctx, input }: { ctx: Ctx; input: SlaExportInput }) {
  requirePermission(ctx.actor, "reports.export");
  const query = periodInput.parse(input);
  await assertInboxVisible(ctx.db, ctx.actor, query.inboxId);
  const metBy = aliasedTable(users, "met_by_user");
  const reviewer = aliasedTable(users, "reviewer");

  return inTransaction(ctx, async (tx) => {
    const rows = await tx
      .select({
        id: slaEvents.id,
        inbox: inboxes.name,
        conversationId: slaEvents.conversationId,
        contact: contacts.profileName,
        kind: slaEvents.kind,
        outcome: outcomeOf(ctx.now),
        startedAt: slaEvents.startedAt,
        clockStartedAt: slaEvents.clockStartedAt,
        dueAt: slaEvents.dueAt,
        targetMinutes: slaEvents.targetMinutes,
        clock: slaEvents.clock,
        metAt: slaEvents.metAt,
        metBy: metBy.name,
        responseMinutes: slaEvents.responseMinutes,
        stoppedAt: slaEvents.stoppedAt,
        breachedAt: slaEvents.breachedAt,
        reviewedAt: slaEvents.reviewedAt,
        reviewedBy: reviewer.name,
        reviewReason: slaEvents.reviewReason,
        reviewNote: slaEvents.reviewNote,
      })
      .from(slaEvents)
      .innerJoin(inboxes, eq(inboxes.id, slaEvents.inboxId))
      .innerJoin(conversations, eq(conversations.id, slaEvents.conversationId))
      .innerJoin(contacts, eq(contacts.id, conversations.contactId))
      .leftJoin(metBy, eq(metBy.id, slaEvents.metBy))
      .leftJoin(reviewer, eq(reviewer.id, slaEvents.reviewedBy))
      .where(periodScope(tx, ctx.actor, query))
      .orderBy(asc(slaEvents.startedAt), asc(slaEvents.id));

    await recordAudit(tx, ctx, {
      action: "reports.sla_exported",
      targetType: "report",
      targetId: "sla",
      details: {
        from: query.from.toISOString(),
        to: query.to.toISOString(),
        inboxId: query.inboxId ?? null,
        rows: rows.length,
      },
    });

    const csv = toCsv(
      exportHeader,
      rows.map((row) => [
        row.id,
        row.inbox,
        row.conversationId,
        row.contact,
        row.kind,
        row.outcome,
        row.startedAt,
        row.clockStartedAt,
        row.dueAt,
        row.targetMinutes,
        row.clock,
        row.metAt,
        row.metBy,
        row.responseMinutes === null ? null : Math.round(row.responseMinutes * 100) / 100,
        row.stoppedAt,
        row.breachedAt,
        row.reviewedAt,
        row.reviewedBy,
        row.reviewReason,
        row.reviewNote,
      ]),
    );
    const day = (date: Date) => date.toISOString().slice(0, 10);
    return {
      filename: `sla-${day(query.from)}-to-${day(query.to)}.csv`,
      csv: `\uFEFF${csv}`,
      rows: rows.length,
    };
  });
}
