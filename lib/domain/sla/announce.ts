import type { SlaClockDto } from "@/lib/realtime/events";
import { publish } from "@/lib/realtime/publish";
import type { SlaChange, SlaClockState } from "./clock";

export function toSlaClockDto(clock: SlaClockState): SlaClockDto {
  return {
    slaEventId: clock.slaEventId,
    kind: clock.kind,
    startedAt: clock.startedAt.toISOString(),
    dueAt: clock.dueAt.toISOString(),
    atRiskAt: clock.atRiskAt.toISOString(),
    breachedAt: clock.breachedAt?.toISOString() ?? null,
  };
}

/** After commit: tells open browsers about the clocks the hooks changed (nulls are skipped). */
export function announceSlaChanges(changes: (SlaChange | null | undefined)[]): void {
  for (const change of changes) {
    if (!change) continue;
    publish.slaChanged({
      conversationId: change.conversationId,
      inboxId: change.inboxId,
      sla: change.clock ? toSlaClockDto(change.clock) : null,
    });
  }
}
