import { asc, eq } from "drizzle-orm";
import { inboxes, inboxSlaSettings } from "@/lib/db/schema";
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

/**
 * Sets an inbox's calendar (and optionally its off-hours reply). Running clocks that have not
 * breached are recomputed under the new calendar in the same transaction; the change is audited.
 */
export async function updateBusinessHours({ ctx, input }: { ctx: Ctx; input: UpdateBusinessHoursInput }) {
  requirePermission(ctx.actor, "business_hours.manage");
  const { inboxId, calendar, offHoursReply } = updateBusinessHoursInput.parse(input);

  const result = await inTransaction(ctx, async (tx) => {
    const before = await loadInboxSlaSettings(tx, inboxId, { lock: "update" });
    const values = {
      calendar,
      ...(offHoursReply
        ? { offHoursReplyEnabled: offHoursReply.enabled, offHoursReplyTemplate: offHoursReply.template }
        : {}),
      updatedBy: ctx.actor.kind === "user" ? ctx.actor.userId : null,
      updatedAt: ctx.now,
    };
    await tx
      .insert(inboxSlaSettings)
      .values({ inboxId, ...values })
      .onConflictDoUpdate({ target: inboxSlaSettings.inboxId, set: values });
    // The inbox's zone follows its calendar, so everything shown for the inbox agrees.
    await tx
      .update(inboxes)
      .set({ timeZone: calendar.timeZone, updatedAt: ctx.now })
      .where(eq(inboxes.id, inboxId));
    const after = await loadInboxSlaSettings(tx, inboxId);
    const calendarChanged = JSON.stringify(before.calendar) !== JSON.stringify(after.calendar);
    const changes = calendarChanged
      ? await recomputeRunningClocks(tx, { settings: after, now: ctx.now })
      : [];
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
    return { settings: after, changes };
  });

  announceSlaChanges(result.changes);
  return { ...result.settings, recomputedClocks: result.changes.length };
}

/**
 * Sets an inbox's SLA policy (targets and clock). Running clocks that have not breached are
 * recomputed from their messages' arrival under the new policy; the change is audited.
 */
export async function updateSlaPolicy({ ctx, input }: { ctx: Ctx; input: UpdateSlaPolicyInput }) {
  requirePermission(ctx.actor, "sla_policies.manage");
  const { inboxId, policy } = updateSlaPolicyInput.parse(input);

  const result = await inTransaction(ctx, async (tx) => {
    const before = await loadInboxSlaSettings(tx, inboxId, { lock: "update" });
    const values = {
      policy,
      updatedBy: ctx.actor.kind === "user" ? ctx.actor.userId : null,
      updatedAt: ctx.now,
    };
    await tx
      .insert(inboxSlaSettings)
      .values({ inboxId, ...values })
      .onConflictDoUpdate({ target: inboxSlaSettings.inboxId, set: values });
    const after = await loadInboxSlaSettings(tx, inboxId);
    const changes =
      JSON.stringify(before.policy) !== JSON.stringify(after.policy)
        ? await recomputeRunningClocks(tx, { settings: after, now: ctx.now })
        : [];
    await recordAudit(tx, ctx, {
      action: "inbox.sla_policy_updated",
      targetType: "inbox",
      targetId: inboxId,
      details: { before: before.policy, after: after.policy, recomputedClocks: changes.length },
    });
    return { settings: after, changes };
  });

  announceSlaChanges(result.changes);
  return { ...result.settings, recomputedClocks: result.changes.length };
}

/**
 * Replaces an inbox's calendar, policy and off-hours reply at once (the admin page's one Save).
 * One transaction: the settings, the inbox's zone, running clocks recomputed when the calendar
 * or policy changed, and one audit row per part that changed (the same actions as the two verbs
 * above, so the audit log reads the same whichever way an admin saved).
 */
export async function saveInboxSlaSettings({ ctx, input }: { ctx: Ctx; input: SaveInboxSlaSettingsInput }) {
  requirePermission(ctx.actor, "business_hours.manage");
  requirePermission(ctx.actor, "sla_policies.manage");
  const { inboxId, calendar, policy, offHoursReply } = saveInboxSlaSettingsInput.parse(input);

  const result = await inTransaction(ctx, async (tx) => {
    const before = await loadInboxSlaSettings(tx, inboxId, { lock: "update" });
    const values = {
      calendar,
      policy,
      offHoursReplyEnabled: offHoursReply.enabled,
      offHoursReplyTemplate: offHoursReply.template,
      updatedBy: ctx.actor.kind === "user" ? ctx.actor.userId : null,
      updatedAt: ctx.now,
    };
    await tx
      .insert(inboxSlaSettings)
      .values({ inboxId, ...values })
      .onConflictDoUpdate({ target: inboxSlaSettings.inboxId, set: values });
    await tx
      .update(inboxes)
      .set({ timeZone: calendar.timeZone, updatedAt: ctx.now })
      .where(eq(inboxes.id, inboxId));
    const after = await loadInboxSlaSettings(tx, inboxId);
    const calendarChanged = JSON.stringify(before.calendar) !== JSON.stringify(after.calendar);
    const replyChanged = JSON.stringify(before.offHoursReply) !== JSON.stringify(after.offHoursReply);
    const policyChanged = JSON.stringify(before.policy) !== JSON.stringify(after.policy);
    const changes =
      calendarChanged || policyChanged
        ? await recomputeRunningClocks(tx, { settings: after, now: ctx.now })
        : [];
    if (calendarChanged || replyChanged) {
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
    if (policyChanged) {
      await recordAudit(tx, ctx, {
        action: "inbox.sla_policy_updated",
        targetType: "inbox",
        targetId: inboxId,
        details: { before: before.policy, after: after.policy, recomputedClocks: changes.length },
      });
    }
    return { settings: after, changes };
  });

  announceSlaChanges(result.changes);
  return { ...result.settings, recomputedClocks: result.changes.length };
}
