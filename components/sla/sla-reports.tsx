"use client";

import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { api, withQuery } from "@/lib/client/api";
import { durationText } from "@/lib/client/format";
import { Alert } from "@/components/ui/field";
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
        <div className="flex flex-col gap-1">
          <label htmlFor="report-inbox" className="text-xs font-medium text-slate-700">
            Inbox
          </label>
          <select
            id="report-inbox"
            value={inboxId}
            onChange={(e) => setInboxId(e.target.value)}
            className="rounded-md border border-slate-300 px-2 py-1 text-sm"
          >
            <option value="">All my inboxes</option>
            {inboxes.map((inbox) => (
              <option key={inbox.id} value={inbox.id}>
                {inbox.name}
              </option>
            ))}
          </select>
        </div>
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
            label: day.day.slice(5),
            value: day.breaches,
            full: day.day,
          }))}
          tone="bg-red-500"
        />
        <BarChart
          title="First-response time distribution"
          bars={report.firstResponseDistribution.map((bucket) => ({
            label: bucket.label,
            value: bucket.count,
            full: bucket.label,
          }))}
          tone="bg-brand-600"
        />
      </div>
      <section aria-labelledby="per-agent" className="rounded-lg border border-slate-200 bg-white">
        <h2 id="per-agent" className="border-b border-slate-200 px-4 py-2 text-base font-semibold">
          Per agent
        </h2>
        <table className="w-full text-sm">
          <thead className="text-left text-xs text-slate-500">
            <tr>
              <th className="px-4 py-2 font-medium">Agent</th>
              <th className="px-4 py-2 font-medium">Responses</th>
              <th className="px-4 py-2 font-medium">On time</th>
              <th className="px-4 py-2 font-medium">Late</th>
              <th className="px-4 py-2 font-medium">Hit rate</th>
              <th className="px-4 py-2 font-medium">First response median / p90</th>
            </tr>
          </thead>
          <tbody>
            {report.perAgent.map((row) => (
              <tr key={row.agentId} className="border-t border-slate-100">
                <td className="px-4 py-2">{row.agentName}</td>
                <td className="px-4 py-2">{row.responses}</td>
                <td className="px-4 py-2">{row.onTime}</td>
                <td className="px-4 py-2">{row.late}</td>
                <td className="px-4 py-2">
                  <RateBar value={row.hitRate} />
                </td>
                <td className="px-4 py-2">
                  {minutes(row.firstResponse.medianMinutes)} / {minutes(row.firstResponse.p90Minutes)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {report.perAgent.length === 0 ? (
          <p className="px-4 py-3 text-sm text-slate-500">No replies in this period.</p>
        ) : null}
      </section>
      <section aria-labelledby="per-inbox" className="rounded-lg border border-slate-200 bg-white">
        <h2 id="per-inbox" className="border-b border-slate-200 px-4 py-2 text-base font-semibold">
          Per inbox
        </h2>
        <table className="w-full text-sm">
          <thead className="text-left text-xs text-slate-500">
            <tr>
              <th className="px-4 py-2 font-medium">Inbox</th>
              <th className="px-4 py-2 font-medium">Clocks</th>
              <th className="px-4 py-2 font-medium">Met</th>
              <th className="px-4 py-2 font-medium">Breached</th>
              <th className="px-4 py-2 font-medium">Hit rate</th>
              <th className="px-4 py-2 font-medium">First response median / p90</th>
            </tr>
          </thead>
          <tbody>
            {report.perInbox.map((row) => (
              <tr key={row.inboxId} className="border-t border-slate-100">
                <td className="px-4 py-2">{row.inboxName}</td>
                <td className="px-4 py-2">{row.clocks}</td>
                <td className="px-4 py-2">{row.met}</td>
                <td className="px-4 py-2">{row.breached}</td>
                <td className="px-4 py-2">
                  <RateBar value={row.hitRate} />
                </td>
                <td className="px-4 py-2">
                  {minutes(row.firstResponse.medianMinutes)} / {minutes(row.firstResponse.p90Minutes)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {report.perInbox.length === 0 ? (
          <p className="px-4 py-3 text-sm text-slate-500">No clocks in this period.</p>
        ) : null}
      </section>
    </div>
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
}: {
  title: string;
  bars: { label: string; value: number; full: string }[];
  tone: string;
}) {
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  const id = `chart-${title.toLowerCase().replace(/[^a-z]+/g, "-")}`;
  return (
    <figure aria-labelledby={id} className="rounded-lg border border-slate-200 bg-white p-4">
      <figcaption id={id} className="mb-3 text-base font-semibold">
        {title}
      </figcaption>
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
      <div aria-hidden className="mt-1 flex gap-px text-[10px] text-slate-500">
        {bars.map((bar, index) => (
          <span key={bar.full} className="min-w-0 flex-1 truncate text-center">
            {bars.length <= 8 || index % Math.ceil(bars.length / 8) === 0 ? bar.label : ""}
          </span>
        ))}
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
