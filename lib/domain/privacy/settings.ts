import { desc, eq } from "drizzle-orm";
import type { Executor } from "@/lib/db";
import { privacySettings, retentionRuns, type RetentionRun } from "@/lib/db/schema";
import { recordAudit } from "../audit";
import { inTransaction, requirePermission, type Ctx } from "../context";
import { privacySettingsInput, type PrivacySettingsInput } from "./schemas";

export interface PrivacySettingsView {
  /** Resolved conversations keep their contents this many days; null keeps them forever. */
  retentionDays: number | null;
  keepMaskedOriginals: boolean;
  maskedOriginalDays: number;
  updatedAt: Date | null;
}

export const defaultPrivacySettings: PrivacySettingsView = {
  retentionDays: null,
  keepMaskedOriginals: false,
  maskedOriginalDays: 7,
  updatedAt: null,
};

const SETTINGS_KEY = "default";

/** The business's privacy settings; the defaults until an admin saves them. */
export async function readPrivacySettings(db: Executor): Promise<PrivacySettingsView> {
  const [row] = await db.select().from(privacySettings).where(eq(privacySettings.key, SETTINGS_KEY));
  if (!row) return defaultPrivacySettings;
  return {
    retentionDays: row.retentionDays,
    keepMaskedOriginals: row.keepMaskedOriginals,
    maskedOriginalDays: row.maskedOriginalDays,
    updatedAt: row.updatedAt,
  };
}

/** What /admin/privacy shows: the settings and the retention sweeper's recent runs. */
export async function getPrivacyOverview({ ctx }: { ctx: Ctx }): Promise<{
  settings: PrivacySettingsView;
  runs: RetentionRun[];
}> {
  requirePermission(ctx.actor, "retention.manage");
  const settings = await readPrivacySettings(ctx.db);
  const runs = await ctx.db.select().from(retentionRuns).orderBy(desc(retentionRuns.startedAt)).limit(20);
  return { settings, runs };
}

/** Admins set retention and whether originals of masked secrets are kept; audited with before/after. */
export async function updatePrivacySettings({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: PrivacySettingsInput;
}): Promise<PrivacySettingsView> {
  requirePermission(ctx.actor, "retention.manage");
  const data = privacySettingsInput.parse(input);
  return inTransaction(ctx, async (tx) => {
    const before = await readPrivacySettings(tx);
    const next = {
      retentionDays: data.retentionDays === undefined ? before.retentionDays : data.retentionDays,
      keepMaskedOriginals: data.keepMaskedOriginals ?? before.keepMaskedOriginals,
      maskedOriginalDays: data.maskedOriginalDays ?? before.maskedOriginalDays,
    };
    const values = {
      ...next,
      updatedBy: ctx.actor.kind === "user" ? ctx.actor.userId : null,
      updatedAt: ctx.now,
    };
    await tx
      .insert(privacySettings)
      .values({ key: SETTINGS_KEY, ...values })
      .onConflictDoUpdate({ target: privacySettings.key, set: values });
    await recordAudit(tx, ctx, {
      action: "privacy_settings.updated",
      targetType: "privacy_settings",
      targetId: SETTINGS_KEY,
      details: {
        before: {
          retentionDays: before.retentionDays,
          keepMaskedOriginals: before.keepMaskedOriginals,
          maskedOriginalDays: before.maskedOriginalDays,
        },
        after: next,
      },
    });
    return { ...next, updatedAt: ctx.now };
  });
}
