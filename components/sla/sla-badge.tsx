import { describeDue, slaStateAt, type SlaState } from "@/lib/sla/state";

const styles: Record<SlaState, string> = {
  on_track: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  at_risk: "bg-amber-50 text-amber-900 ring-amber-300",
  breached: "bg-red-50 text-red-800 ring-red-300",
};

const stateLabels: Record<SlaState, string> = {
  on_track: "On track",
  at_risk: "At risk",
  breached: "Breached",
};

/**
 * A response clock's countdown ("due in 3 h 10 min", "breached 25 min ago"), computed from the
 * stored instants and the caller's ticking `now`, so it moves without refetching. The words carry
 * the state as well as the colour.
 */
export function SlaBadge({
  sla,
  now,
  size = "sm",
}: {
  sla: { dueAt: string; atRiskAt: string; kind?: string } | null | undefined;
  now: Date;
  size?: "sm" | "md";
}) {
  if (!sla) return null;
  const dueAt = new Date(sla.dueAt);
  const state = slaStateAt({ atRiskAt: new Date(sla.atRiskAt), dueAt, now });
  const text = describeDue({ dueAt, now });
  const label = state === "at_risk" ? `At risk: ${text}` : text;
  const kind = sla.kind === "next_response" ? "Next response" : "First response";
  return (
    <span
      data-sla-state={state}
      title={`${kind} ${stateLabels[state].toLowerCase()}, due ${dueAt.toLocaleString()}`}
      className={`inline-flex items-center gap-1 whitespace-nowrap rounded px-1.5 py-0.5 font-medium ring-1 ring-inset ${
        size === "md" ? "text-xs" : "text-[11px]"
      } ${styles[state]}`}
    >
      <span aria-hidden>{state === "breached" ? "●" : state === "at_risk" ? "◐" : "○"}</span>
      <span className="sr-only">{kind}: </span>
      {label}
    </span>
  );
}
