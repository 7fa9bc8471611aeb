"use client";

import { useState, type FormEvent } from "react";
import { Alert, buttonClass, secondaryButtonClass } from "@/components/ui/field";
import { durationText } from "@/lib/client/format";
import { callApi } from "./api";

const weekdays = [
  ["monday", "Monday"],
  ["tuesday", "Tuesday"],
  ["wednesday", "Wednesday"],
  ["thursday", "Thursday"],
  ["friday", "Friday"],
  ["saturday", "Saturday"],
  ["sunday", "Sunday"],
] as const;
type Weekday = (typeof weekdays)[number][0];

interface Interval {
  start: string;
  end: string;
}
interface Holiday {
  date: string;
  recurring: boolean;
  name?: string;
}
export interface InboxSettings {
  inboxId: string;
  inboxName: string;
  calendar: { timeZone: string; weeklyHours: Record<Weekday, Interval[]>; holidays: Holiday[] };
  policy: { firstResponseMinutes: number; nextResponseMinutes: number; clock: "business_hours" | "calendar" };
  offHoursReply: { enabled: boolean; template: string };
}

/** Per inbox: zone, weekly hours (split shifts allowed), holidays, response targets, clock, off-hours text. */
export function BusinessHoursAdmin({
  inboxes,
  timeZones,
  variables,
}: {
  inboxes: InboxSettings[];
  timeZones: string[];
  variables: string[];
}) {
  const [all, setAll] = useState(inboxes);
  const [selected, setSelected] = useState(inboxes[0]?.inboxId ?? "");
  const current = all.find((inbox) => inbox.inboxId === selected);
  if (!current) return <p className="text-sm text-slate-500">There are no inboxes yet.</p>;
  return (
    <div className="max-w-3xl space-y-4">
      <div className="flex items-center gap-2">
        <label htmlFor="bh-inbox" className="text-sm font-medium text-slate-800">
          Inbox
        </label>
        <select
          id="bh-inbox"
          value={selected}
          onChange={(e) => setSelected(e.target.value)}
          className="rounded-md border border-slate-300 px-2 py-1 text-sm"
        >
          {all.map((inbox) => (
            <option key={inbox.inboxId} value={inbox.inboxId}>
              {inbox.inboxName}
            </option>
          ))}
        </select>
      </div>
      <SettingsForm
        key={current.inboxId}
        initial={current}
        timeZones={timeZones}
        variables={variables}
        onSaved={(saved) =>
          setAll((list) => list.map((inbox) => (inbox.inboxId === saved.inboxId ? saved : inbox)))
        }
      />
    </div>
  );
}

function SettingsForm({
  initial,
  timeZones,
  variables,
  onSaved,
}: {
  initial: InboxSettings;
  timeZones: string[];
  variables: string[];
  onSaved: (saved: InboxSettings) => void;
}) {
  const [timeZone, setTimeZone] = useState(initial.calendar.timeZone);
  const [week, setWeek] = useState(initial.calendar.weeklyHours);
  const [holidays, setHolidays] = useState(initial.calendar.holidays);
  const [firstResponse, setFirstResponse] = useState(String(initial.policy.firstResponseMinutes));
  const [nextResponse, setNextResponse] = useState(String(initial.policy.nextResponseMinutes));
  const [clock, setClock] = useState(initial.policy.clock);
  const [replyEnabled, setReplyEnabled] = useState(initial.offHoursReply.enabled);
  const [template, setTemplate] = useState(initial.offHoursReply.template);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const zones = timeZones.includes(timeZone) ? timeZones : [timeZone, ...timeZones];

  const setDay = (day: Weekday, intervals: Interval[]) => setWeek((w) => ({ ...w, [day]: intervals }));

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setNotice(null);
    setSaving(true);
    try {
      const saved = await callApi<InboxSettings & { recomputedClocks: number }>(
        `/api/v1/inboxes/${initial.inboxId}/sla-settings`,
        {
          method: "PUT",
          body: {
            calendar: {
              timeZone,
              weeklyHours: week,
              holidays: holidays.map((h) => ({ ...h, name: h.name?.trim() || undefined })),
            },
            policy: {
              firstResponseMinutes: Number(firstResponse),
              nextResponseMinutes: Number(nextResponse),
              clock,
            },
            offHoursReply: { enabled: replyEnabled, template },
          },
        },
      );
      onSaved(saved);
      setNotice(
        `Saved. ${saved.recomputedClocks === 1 ? "1 running clock was" : `${saved.recomputedClocks} running clocks were`} recomputed.`,
      );
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : "Saving failed; try again.");
    } finally {
      setSaving(false);
    }
  };

  const target = (value: string) => {
    const n = Number(value);
    return Number.isInteger(n) && n > 0 ? `= ${durationText(n)}` : "whole minutes, more than zero";
  };

  // noValidate: the server checks everything and says what to fix, in the API's own words.
  return (
    <form
      noValidate
      onSubmit={(e) => void onSubmit(e)}
      className="space-y-6"
      aria-label={`Settings for ${initial.inboxName}`}
    >
      {error ? <Alert>{error}</Alert> : null}
      {notice ? <Alert tone="info">{notice}</Alert> : null}

      <fieldset className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
        <legend className="px-1 text-base font-semibold">Business hours</legend>
        <div className="flex flex-col gap-1">
          <label htmlFor="bh-zone" className="text-sm font-medium">
            Time zone
          </label>
          <select
            id="bh-zone"
            value={timeZone}
            onChange={(e) => setTimeZone(e.target.value)}
            className="w-72 rounded-md border border-slate-300 px-2 py-1 text-sm"
          >
            {zones.map((zone) => (
              <option key={zone} value={zone}>
                {zone}
              </option>
            ))}
          </select>
        </div>
        <table className="text-sm">
          <tbody>
            {weekdays.map(([day, label]) => (
              <tr key={day} className="align-top">
                <th scope="row" className="w-28 py-1 pr-3 text-left font-medium">
                  {label}
                </th>
                <td className="py-1">
                  {week[day].length === 0 ? <span className="mr-2 text-slate-500">Closed</span> : null}
                  {week[day].map((interval, index) => (
                    <span key={index} className="mr-3 inline-flex items-center gap-1">
                      <label className="sr-only" htmlFor={`${day}-${index}-start`}>
                        {label} interval {index + 1} opens
                      </label>
                      <input
                        id={`${day}-${index}-start`}
                        value={interval.start}
                        placeholder="09:00"
                        size={5}
                        onChange={(e) =>
                          setDay(
                            day,
                            week[day].map((it, i) => (i === index ? { ...it, start: e.target.value } : it)),
                          )
                        }
                        className="rounded border border-slate-300 px-1 py-0.5"
                      />
                      –
                      <label className="sr-only" htmlFor={`${day}-${index}-end`}>
                        {label} interval {index + 1} closes
                      </label>
                      <input
                        id={`${day}-${index}-end`}
                        value={interval.end}
                        placeholder="18:00"
                        size={5}
                        onChange={(e) =>
                          setDay(
                            day,
                            week[day].map((it, i) => (i === index ? { ...it, end: e.target.value } : it)),
                          )
                        }
                        className="rounded border border-slate-300 px-1 py-0.5"
                      />
                      <button
                        type="button"
                        aria-label={`Remove ${label} interval ${index + 1}`}
                        onClick={() =>
                          setDay(
                            day,
                            week[day].filter((_, i) => i !== index),
                          )
                        }
                        className="px-1 text-slate-500 hover:text-red-700"
                      >
                        ×
                      </button>
                    </span>
                  ))}
                  <button
                    type="button"
                    onClick={() => setDay(day, [...week[day], { start: "09:00", end: "18:00" }])}
                    className="text-xs text-brand-700 underline"
                  >
                    Add hours<span className="sr-only"> on {label}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="text-xs text-slate-500">
          Times are &quot;HH:MM&quot; in the inbox&apos;s zone; &quot;24:00&quot; closes at midnight. Add a
          second interval for a split shift or a lunch break.
        </p>
      </fieldset>

      <fieldset className="space-y-2 rounded-lg border border-slate-200 bg-white p-4">
        <legend className="px-1 text-base font-semibold">Holidays</legend>
        {holidays.length === 0 ? <p className="text-sm text-slate-500">No holidays.</p> : null}
        <ul className="space-y-2">
          {holidays.map((holiday, index) => (
            <li key={index} className="flex flex-wrap items-center gap-2 text-sm">
              <label className="sr-only" htmlFor={`holiday-${index}-date`}>
                Holiday {index + 1} date
              </label>
              <input
                id={`holiday-${index}-date`}
                type="date"
                value={holiday.date}
                onChange={(e) =>
                  setHolidays((list) =>
                    list.map((h, i) => (i === index ? { ...h, date: e.target.value } : h)),
                  )
                }
                className="rounded border border-slate-300 px-1 py-0.5"
              />
              <label className="sr-only" htmlFor={`holiday-${index}-name`}>
                Holiday {index + 1} name
              </label>
              <input
                id={`holiday-${index}-name`}
                value={holiday.name ?? ""}
                placeholder="Name (optional)"
                onChange={(e) =>
                  setHolidays((list) =>
                    list.map((h, i) => (i === index ? { ...h, name: e.target.value } : h)),
                  )
                }
                className="rounded border border-slate-300 px-1 py-0.5"
              />
              <label className="inline-flex items-center gap-1">
                <input
                  type="checkbox"
                  checked={holiday.recurring}
                  onChange={(e) =>
                    setHolidays((list) =>
                      list.map((h, i) => (i === index ? { ...h, recurring: e.target.checked } : h)),
                    )
                  }
                />
                Every year
              </label>
              <button
                type="button"
                onClick={() => setHolidays((list) => list.filter((_, i) => i !== index))}
                className="text-xs text-slate-600 underline"
              >
                Remove<span className="sr-only"> holiday {index + 1}</span>
              </button>
            </li>
          ))}
        </ul>
        <button
          type="button"
          className={secondaryButtonClass}
          onClick={() => setHolidays((list) => [...list, { date: "", recurring: false }])}
        >
          Add a holiday
        </button>
      </fieldset>

      <fieldset className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
        <legend className="px-1 text-base font-semibold">Response targets</legend>
        <div className="flex flex-wrap gap-6">
          {(
            [
              ["bh-first", "First response (minutes)", firstResponse, setFirstResponse],
              ["bh-next", "Next response (minutes)", nextResponse, setNextResponse],
            ] as const
          ).map(([id, label, value, set]) => (
            <div key={id} className="flex flex-col gap-1">
              <label htmlFor={id} className="text-sm font-medium">
                {label}
              </label>
              <input
                id={id}
                type="number"
                min={1}
                step={1}
                value={value}
                onChange={(e) => set(e.target.value)}
                aria-describedby={`${id}-hint`}
                className="w-40 rounded-md border border-slate-300 px-2 py-1 text-sm"
              />
              <span id={`${id}-hint`} className="text-xs text-slate-500">
                {target(value)}
              </span>
            </div>
          ))}
        </div>
        <div role="radiogroup" aria-label="Clock" className="space-y-1 text-sm">
          <label className="flex items-center gap-2">
            <input
              type="radio"
              name="clock"
              checked={clock === "business_hours"}
              onChange={() => setClock("business_hours")}
            />
            Business hours: the clock runs only while the inbox is open
          </label>
          <label className="flex items-center gap-2">
            <input
              type="radio"
              name="clock"
              checked={clock === "calendar"}
              onChange={() => setClock("calendar")}
            />
            Calendar time: the clock runs day and night
          </label>
        </div>
        <p className="text-xs text-slate-500">
          Changes apply from now on: running clocks get new deadlines; breaches already recorded stay.
        </p>
      </fieldset>

      <fieldset className="space-y-2 rounded-lg border border-slate-200 bg-white p-4">
        <legend className="px-1 text-base font-semibold">Off-hours reply</legend>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={replyEnabled} onChange={(e) => setReplyEnabled(e.target.checked)} />
          Answer customers who write while the inbox is closed (once per closed period)
        </label>
        <label htmlFor="bh-template" className="block text-sm font-medium">
          Reply text
        </label>
        <textarea
          id="bh-template"
          value={template}
          onChange={(e) => setTemplate(e.target.value)}
          rows={3}
          maxLength={1000}
          aria-describedby="bh-template-hint"
          className="w-full rounded-md border border-slate-300 px-2 py-1 text-sm"
        />
        <p id="bh-template-hint" className="text-xs text-slate-500">
          Variables: {variables.map((name) => `{{${name}}}`).join(", ")}. The reply answers no clock.
        </p>
      </fieldset>

      <button type="submit" className={buttonClass} disabled={saving}>
        {saving ? "Saving…" : "Save settings"}
      </button>
    </form>
  );
}
