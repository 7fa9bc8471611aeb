import { asc, eq } from "drizzle-orm";
import type { Transaction } from "@/lib/db";
import { inboxes, inboxSlaSettings } from "@/lib/db/schema";
import type { BusinessCalendar } from "@/lib/sla/calendar";
import type { SlaPolicy } from "@/lib/sla/policy";
import { recordAudit } from "../audit";
import { inTransaction, requirePermission, type Ctx } from "../context";
import { announceSlaChanges } from "./announce";
import { loadInboxSlaSettings, type InboxSlaSettings } from "./inbox-settings";
import { recomputeRunningClocks } from "./recompute";
import {
  inboxIdInput,
  saveInboxSlaSettingsInput,
  updateBusinessHoursInput,
  updateSlaPolicyInput,
  type InboxIdInput,
  type SaveInboxSlaSettingsInput,
  type UpdateBusinessHoursInput,
  type UpdateSlaPolicyInput,
} from "./schemas";

/** Every inbox's business hours, SLA policy and off-hours reply, for the admin settings page. */
export async function listInboxSlaSettings({ ctx }: { ctx: Ctx }): Promise<InboxSlaSettings[]> {
  requirePermission(ctx.actor, "business_hours.manage");
  const rows = await ctx.db.select({ id: inboxes.id }).from(inboxes).orderBy(asc(inboxes.name));
  return Promise.all(rows.map((row) => loadInboxSlaSettings(ctx.db, row.id)));
}

export async function getInboxSlaSettings({ ctx, input }: { ctx: Ctx; input: InboxIdInput }) {
  requirePermission(ctx.actor, "business_hours.manage");
  const { inboxId } = inboxIdInput.parse(input);
  return loadInboxSlaSettings(ctx.db, inboxId);
}

interface SettingsChange {
  calendar?: BusinessCalendar;
  policy?: SlaPolicy;
  offHoursReply?: { enabled: boolean; template: string };
}

/**
 * Writes the parts of an inbox's settings that were sent, in one transaction: the settings row, the
 * inbox's zone (it follows the calendar, so everything shown for the inbox agrees), every running
 * clock that has not breached recomputed when the calendar or policy changed, and an audit row per
 * part sent (hours and off-hours reply together; policy), with before and after.
 */
async function writeSettings(tx: Transaction, ctx: Ctx, inboxId: string, change: SettingsChange) {
  const before = await loadInboxSlaSettings(tx, inboxId, { lock: "update" });
  const values = {
    ...(change.calendar ? { calendar: change.calendar } : {}),
    ...(change.policy ? { policy: change.policy } : {}),
    ...(change.offHoursReply
      ? {
          offHoursReplyEnabled: change.offHoursReply.enabled,
          offHoursReplyTemplate: change.offHoursReply.template,
        }
      : {}),
    updatedBy: ctx.actor.kind === "user" ? ctx.actor.userId : null,
    updatedAt: ctx.now,
  };
  await tx
    .insert(inboxSlaSettings)
    .values({ inboxId, ...values })
    .onConflictDoUpdate({ target: inboxSlaSettings.inboxId, set: values });
  if (change.calendar) {
    await tx
      .update(inboxes)
      .set({ timeZone: change.calendar.timeZone, updatedAt: ctx.now })
      .where(eq(inboxes.id, inboxId));
  }
  const after = await loadInboxSlaSettings(tx, inboxId);
  const changed = (part: "calendar" | "policy") =>
    JSON.stringify(before[part]) !== JSON.stringify(after[part]);
  const changes =
    changed("calendar") || changed("policy")
      ? await recomputeRunningClocks(tx, { settings: after, now: ctx.now })
      : [];
  if (change.calendar || change.offHoursReply) {
    await recordAudit(tx, ctx, {
      action: "inbox.business_hours_updated",
      targetType: "inbox",
      targetId: inboxId,
      details: {
        before: { calendar: before.calendar, offHoursReply: before.offHoursReply },
        after: { calendar: after.calendar, offHoursReply: after.offHoursReply },
        recomputedClocks: changes.length,
      },
    });
  }
  if (change.policy) {
    await recordAudit(tx, ctx, {
      action: "inbox.sla_policy_updated",
      targetType: "inbox",
      targetId: inboxId,
      details: { before: before.policy, after: after.policy, recomputedClocks: changes.length },
    });
  }
  return { settings: after, changes };
}

async function saveAndAnnounce(ctx: Ctx, inboxId: string, change: SettingsChange) {
  const result = await inTransaction(ctx, (tx) => writeSettings(tx, ctx, inboxId, change));
  announceSlaChanges(result.changes);
  return { ...result.settings, recomputedClocks: result.changes.length };
}

/** Sets an inbox's calendar (and optionally its off-hours reply); running clocks are recomputed. */
export async function updateBusinessHours({ ctx, input }: { ctx: Ctx; input: UpdateBusinessHoursInput }) {
  requirePermission(ctx.actor, "business_hours.manage");
  const { inboxId, calendar, offHoursReply } = updateBusinessHoursInput.parse(input);
  return saveAndAnnounce(ctx, inboxId, { calendar, offHoursReply });
}

/** Sets an inbox's SLA policy (targets and clock); running clocks are recomputed from arrival. */
export async function updateSlaPolicy({ ctx, input }: { ctx: Ctx; input: UpdateSlaPolicyInput }) {
  requirePermission(ctx.actor, "sla_policies.manage");
  const { inboxId, policy } = updateSlaPolicyInput.parse(input);
  return saveAndAnnounce(ctx, inboxId, { policy });
}

/** Replaces an inbox's calendar, policy and off-hours reply at once (the admin page's one Save). */
export async function saveInboxSlaSettings({ ctx, input }: { ctx: Ctx; input: SaveInboxSlaSettingsInput }) {
  requirePermission(ctx.actor, "business_hours.manage");
  requirePermission(ctx.actor, "sla_policies.manage");
  const { inboxId, calendar, policy, offHoursReply } = saveInboxSlaSettingsInput.parse(input);
  return saveAndAnnounce(ctx, inboxId, { calendar, policy, offHoursReply });
}
