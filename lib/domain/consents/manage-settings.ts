import { eq } from "drizzle-orm";
import type { Executor } from "@/lib/db";
import { inboxConsentSettings, inboxes } from "@/lib/db/schema";
import { recordAudit } from "../audit";
import { inTransaction, requirePermission, type Ctx } from "../context";
import { NotFoundError } from "../errors";
import {
  inboxConsentSettingsInput,
  saveInboxConsentSettingsInput,
  type InboxConsentSettingsInput,
  type SaveInboxConsentSettingsInput,
} from "./schemas";
import { loadInboxConsentSettings, type InboxConsentSettings } from "./settings";

export type InboxConsentSettingsView = InboxConsentSettings & { inboxId: string };

async function requireInbox(tx: Executor, inboxId: string) {
  const [inbox] = await tx
    .select({ id: inboxes.id })
    .from(inboxes)
    .where(eq(inboxes.id, inboxId))
    .for("update");
  if (!inbox) throw new NotFoundError("That inbox does not exist.");
}

/** Admins: an inbox's own STOP/START keywords and confirmation texts, defaults filled in. */
export async function getInboxConsentSettings({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: InboxConsentSettingsInput;
}): Promise<InboxConsentSettingsView> {
  requirePermission(ctx.actor, "inboxes.manage");
  const { inboxId } = inboxConsentSettingsInput.parse(input);
  return inTransaction(ctx, async (tx) => {
    await requireInbox(tx, inboxId);
    return { inboxId, ...(await loadInboxConsentSettings(tx, inboxId)) };
  });
}

/** Keywords are kept as typed, without repeats (case-insensitive); the matcher normalises them. */
function distinct(words: readonly string[]): string[] {
  const seen = new Set<string>();
  return words.filter((word) => {
    const key = word.toLocaleLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Admins replace an inbox's consent settings; audited with the before and after. */
export async function saveInboxConsentSettings({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: SaveInboxConsentSettingsInput;
}): Promise<InboxConsentSettingsView> {
  requirePermission(ctx.actor, "inboxes.manage");
  const data = saveInboxConsentSettingsInput.parse(input);
  const next = {
    extraOptOutKeywords: distinct(data.extraOptOutKeywords),
    extraOptInKeywords: distinct(data.extraOptInKeywords),
    optOutConfirmation: data.optOutConfirmation,
    optInConfirmation: data.optInConfirmation,
    sendConfirmations: data.sendConfirmations,
  };
  return inTransaction(ctx, async (tx) => {
    await requireInbox(tx, data.inboxId);
    const before = await loadInboxConsentSettings(tx, data.inboxId);
    const updatedBy = ctx.actor.kind === "user" ? ctx.actor.userId : null;
    await tx
      .insert(inboxConsentSettings)
      .values({ inboxId: data.inboxId, ...next, updatedBy, updatedAt: ctx.now })
      .onConflictDoUpdate({
        target: inboxConsentSettings.inboxId,
        set: { ...next, updatedBy, updatedAt: ctx.now },
      });
    await recordAudit(tx, ctx, {
      action: "inbox.consent_settings_updated",
      targetType: "inbox",
      targetId: data.inboxId,
      details: { before, after: next },
    });
    return { inboxId: data.inboxId, ...next };
  });
}
