"use client";

import { useQuery } from "@tanstack/react-query";
import { useMemo, useState, type ReactNode } from "react";
import { api, withQuery } from "@/lib/client/api";
import { calendarDayShort, durationText } from "@/lib/client/format";
import { Alert } from "@/components/ui/field";
import { InboxSelect } from "./inbox-select";
import type { Report } from "./types";

function dateInputValue(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** [from, to) as instants: local midnight of the first day to local midnight after the last. */
function periodOf(fromDay: string, toDay: string) {
  const from = new Date(`${fromDay}T00:00`);
  const to = new Date(`${toDay}T00:00`);
  to.setDate(to.getDate() + 1);
  return { from: from.toISOString(), to: to.toISOString() };
}

const percent = (value: number | null) => (value === null ? "—" : `${Math.round(value * 1000) / 10} %`);
const minutes = (value: number | null) => (value === null ? "—" : durationText(value));

/** SLA reports over a chosen period: hit rate, breaches per day, first-response times, per agent and inbox. */
export function SlaReports({ inboxes }: { inboxes: { id: string; name: string }[] }) {
  const today = new Date();
  const monthAgo = new Date(today);
  monthAgo.setDate(monthAgo.getDate() - 29);
  const [fromDay, setFromDay] = useState(dateInputValue(monthAgo));
  const [toDay, setToDay] = useState(dateInputValue(today));
  const [inboxId, setInboxId] = useState("");
  const timeZone = useMemo(() => Intl.DateTimeFormat().resolvedOptions().timeZone, []);
  const valid = fromDay !== "" && toDay !== "" && fromDay <= toDay;
  const period = valid ? periodOf(fromDay, toDay) : null;

  const report = useQuery({
    queryKey: ["sla-report", period?.from, period?.to, inboxId, timeZone],
    queryFn: () => api<Report>(withQuery("/api/v1/sla/reports", { ...period, inboxId, timeZone })),
    enabled: period !== null,
  });
  const exportHref = period ? withQuery("/api/v1/sla/reports/export", { ...period, inboxId }) : undefined;

  return (
    <div className="space-y-6">
      <form
        aria-label="Period"
        className="flex flex-wrap items-end gap-3"
        onSubmit={(event) => event.preventDefault()}
      >
        <div className="flex flex-col gap-1">
          <label htmlFor="report-from" className="text-xs font-medium text-slate-700">
            From
          </label>
          <input
            id="report-from"
            type="date"
            value={fromDay}
            max={toDay}
            onChange={(e) => setFromDay(e.target.value)}
            className="rounded-md border border-slate-300 px-2 py-1 text-sm"
          />
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor="report-to" className="text-xs font-medium text-slate-700">
            To (inclusive)
          </label>
          <input
            id="report-to"
            type="date"
            value={toDay}
            min={fromDay}
            onChange={(e) => setToDay(e.target.value)}
            className="rounded-md border border-slate-300 px-2 py-1 text-sm"
          />
        </div>
        <InboxSelect id="report-inbox" inboxes={inboxes} value={inboxId} onChange={setInboxId} />
        {exportHref ? (
          <a href={exportHref} className="ml-auto text-sm font-medium text-brand-700 underline" download>
            Export CSV
          </a>
        ) : null}
      </form>
      {!valid ? <Alert>Choose a start date on or before the end date.</Alert> : null}
      {report.error ? <Alert>{report.error.message}</Alert> : null}
      {report.data ? (
        <ReportBody report={report.data} />
      ) : valid ? (
        <p className="text-sm text-slate-500">Loading…</p>
      ) : null}
    </div>
  );
}

function ReportBody({ report }: { report: Report }) {
  const { totals } = report;
  return (
    <div className="space-y-6">
      <dl className="grid gap-3 sm:grid-cols-4">
        <Stat
          label="SLA hit rate"
          value={percent(totals.hitRate)}
          hint={`${totals.met} met of ${totals.met + totals.breached} decided`}
        />
        <Stat label="Breaches" value={String(totals.breached)} hint={`${totals.running} still running`} />
        <Stat
          label="First response, median"
          value={minutes(totals.firstResponse.medianMinutes)}
          hint={`${totals.firstResponse.count} answered`}
        />
        <Stat
          label="First response, 90th percentile"
          value={minutes(totals.firstResponse.p90Minutes)}
          hint="on the policy's clock"
        />
      </dl>
      <div className="grid gap-6 lg:grid-cols-2">
        <BarChart
          title="Breaches per day"
          bars={report.breachesPerDay.map((day) => ({
            label: calendarDayShort(day.day),
            value: day.breaches,
            full: day.day,
          }))}
          tone="bg-red-500"
          empty="No breaches in this period."
        />
        <BarChart
          title="First-response time distribution"
          bars={report.firstResponseDistribution.map((bucket) => ({
            label: bucket.label,
            value: bucket.count,
            full: bucket.label,
          }))}
          tone="bg-brand-600"
          empty="No first responses in this period."
        />
      </div>
      <ReportTable
        title="Per agent"
        empty="No replies in this period."
        headings={["Agent", "Responses", "On time", "Late", "Hit rate", "First response median / p90"]}
        rows={report.perAgent.map((row) => ({
          key: row.agentId,
          cells: [
            row.agentName,
            row.responses,
            row.onTime,
            row.late,
            <RateBar key="rate" value={row.hitRate} />,
            times(row.firstResponse),
          ],
        }))}
      />
      <ReportTable
        title="Per inbox"
        empty="No clocks in this period."
        headings={["Inbox", "Clocks", "Met", "Breached", "Hit rate", "First response median / p90"]}
        rows={report.perInbox.map((row) => ({
          key: row.inboxId,
          cells: [
            row.inboxName,
            row.clocks,
            row.met,
            row.breached,
            <RateBar key="rate" value={row.hitRate} />,
            times(row.firstResponse),
          ],
        }))}
      />
    </div>
  );
}

const times = (t: { medianMinutes: number | null; p90Minutes: number | null }) =>
  `${minutes(t.medianMinutes)} / ${minutes(t.p90Minutes)}`;

function ReportTable({
  title,
  empty,
  headings,
  rows,
}: {
  title: string;
  empty: string;
  headings: string[];
  rows: { key: string; cells: ReactNode[] }[];
}) {
  const id = `table-${title.toLowerCase().replace(/[^a-z]+/g, "-")}`;
  return (
    <section aria-labelledby={id} className="rounded-lg border border-slate-200 bg-white">
      <h2 id={id} className="border-b border-slate-200 px-4 py-2 text-base font-semibold">
        {title}
      </h2>
      <table className="w-full text-sm">
        <thead className="text-left text-xs text-slate-500">
          <tr>
            {headings.map((heading) => (
              <th key={heading} className="px-4 py-2 font-medium">
                {heading}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key} className="border-t border-slate-100">
              {row.cells.map((cell, index) => (
                <td key={index} className="px-4 py-2">
                  {cell}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 ? <p className="px-4 py-3 text-sm text-slate-500">{empty}</p> : null}
    </section>
  );
}

function Stat({ label, value, hint }: { label: string; value: string; hint: string }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-4">
      <dt className="text-xs font-medium text-slate-500">{label}</dt>
      <dd className="mt-1 text-2xl font-semibold">{value}</dd>
      <dd className="text-xs text-slate-500">{hint}</dd>
    </div>
  );
}

/** Plain CSS bars: the numbers are in the text too, so the chart is readable without colour or sight. */
function BarChart({
  title,
  bars,
  tone,
  empty,
}: {
  title: string;
  bars: { label: string; value: number; full: string }[];
  tone: string;
  /** Said over the empty axis when every bar is zero, so a blank chart does not look broken. */
  empty: string;
}) {
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  const every = Math.max(1, Math.ceil(bars.length / 8));
  const id = `chart-${title.toLowerCase().replace(/[^a-z]+/g, "-")}`;
  return (
    <figure aria-labelledby={id} className="relative rounded-lg border border-slate-200 bg-white p-4">
      <figcaption id={id} className="mb-3 text-base font-semibold">
        {title}
      </figcaption>
      {bars.every((bar) => bar.value === 0) ? (
        <p className="pointer-events-none absolute inset-x-4 top-1/2 text-center text-sm text-slate-500">
          {empty}
        </p>
      ) : null}
      <ol className="flex h-40 items-end gap-px">
        {bars.map((bar) => (
          <li
            key={bar.full}
            className="flex h-full min-w-0 flex-1 flex-col items-center justify-end"
            title={`${bar.full}: ${bar.value}`}
          >
            <span className="text-[10px] text-slate-600">{bar.value > 0 ? bar.value : ""}</span>
            <span className={`w-full rounded-t ${tone}`} style={{ height: `${(bar.value / max) * 100}%` }} />
            <span className="sr-only">
              {bar.full}: {bar.value}
            </span>
          </li>
        ))}
      </ol>
      {/* At most 8 labels; with more bars each label takes the width of the bars up to the next. */}
      <div
        aria-hidden
        className="mt-1 grid gap-px text-[10px] text-slate-500"
        style={{ gridTemplateColumns: `repeat(${bars.length}, minmax(0, 1fr))` }}
      >
        {bars.map((bar, index) =>
          index % every === 0 ? (
            <span
              key={bar.full}
              className={`truncate ${every === 1 ? "text-center" : "text-left"}`}
              style={{ gridColumn: `${index + 1} / span ${Math.min(every, bars.length - index)}` }}
            >
              {bar.label}
            </span>
          ) : null,
        )}
      </div>
    </figure>
  );
}

function RateBar({ value }: { value: number | null }) {
  return (
    <span className="flex items-center gap-2">
      <span aria-hidden className="h-2 w-20 overflow-hidden rounded bg-slate-100">
        <span className="block h-full bg-emerald-500" style={{ width: `${(value ?? 0) * 100}%` }} />
      </span>
      {percent(value)}
    </span>
  );
}
