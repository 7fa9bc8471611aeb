import { eq } from "drizzle-orm";
import type { Executor } from "@/lib/db";
import { inboxConsentSettings } from "@/lib/db/schema";
import { memoInTransaction } from "@/lib/db/tx-memo";

export const DEFAULT_OPT_OUT_CONFIRMATION =
  "You have been unsubscribed and will receive no further messages from us. If you change your mind, reply START.";
export const DEFAULT_OPT_IN_CONFIRMATION =
  "Thank you, you are subscribed again and we can reply to your messages. Reply STOP at any time to unsubscribe.";

export interface InboxConsentSettings {
  extraOptOutKeywords: string[];
  extraOptInKeywords: string[];
  optOutConfirmation: string;
  optInConfirmation: string;
  sendConfirmations: boolean;
}

/** An inbox's consent settings, with the defaults where nothing is stored. */
export function loadInboxConsentSettings(tx: Executor, inboxId: string): Promise<InboxConsentSettings> {
  return memoInTransaction(tx, `inbox-consent-settings:${inboxId}`, () =>
    readInboxConsentSettings(tx, inboxId),
  );
}

async function readInboxConsentSettings(tx: Executor, inboxId: string): Promise<InboxConsentSettings> {
  const [row] = await tx.select().from(inboxConsentSettings).where(eq(inboxConsentSettings.inboxId, inboxId));
  return {
    extraOptOutKeywords: row?.extraOptOutKeywords ?? [],
    extraOptInKeywords: row?.extraOptInKeywords ?? [],
    optOutConfirmation: row?.optOutConfirmation ?? DEFAULT_OPT_OUT_CONFIRMATION,
    optInConfirmation: row?.optInConfirmation ?? DEFAULT_OPT_IN_CONFIRMATION,
    sendConfirmations: row?.sendConfirmations ?? true,
  };
}
