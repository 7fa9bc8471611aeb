import { z } from "zod";
import { consentActions, consentPurposes } from "@/lib/policy/consent";
import { maxEvidenceLength } from "@/lib/policy/csv-consent-import";

const contactId = z.uuid({ message: "contactId must be a UUID" });

export const contactConsentsInput = z.object({ contactId });
export type ContactConsentsInput = z.input<typeof contactConsentsInput>;

/**
 * Where an agent can have witnessed a consent: the customer told them (`agent`, the default), or they
 * enter a web form or an event's sign-up sheet by hand. Keywords, imports and WhatsApp's own settings
 * arrive by their own paths.
 */
export const agentConsentSources = ["agent", "web_form", "event_registration"] as const;

/** An agent records what the customer asked for; the evidence is the words they saw or sent. */
export const recordContactConsentInput = z.object({
  contactId,
  purpose: z.enum(consentPurposes, { error: "purpose must be service or marketing" }),
  action: z.enum(consentActions, { error: "action must be opt_in or opt_out" }),
  source: z
    .enum(agentConsentSources, { error: "source must be agent, web_form or event_registration" })
    .default("agent"),
  evidence: z
    .string({ error: "evidence is required: the words the customer saw or sent" })
    .trim()
    .min(1, "evidence is required: the words the customer saw or sent")
    .max(maxEvidenceLength, `evidence must be at most ${maxEvidenceLength} characters`),
});
export type RecordContactConsentInput = z.input<typeof recordContactConsentInput>;

const inboxId = z.uuid({ message: "inboxId must be a UUID" });
const evidence = z
  .string({ error: "evidence is required: the words the customer saw or ticked" })
  .trim()
  .min(1, "evidence is required: the words the customer saw or ticked")
  .max(maxEvidenceLength, `evidence must be at most ${maxEvidenceLength} characters`);

/** Sources a website or event system may claim; keywords, agents and imports have their own doors. */
export const externalConsentSources = ["web_form", "event_registration", "user_preferences_webhook"] as const;

/** A consent the business's own website form (or event sign-up) collected. */
export const recordExternalConsentInput = z.object({
  inboxId,
  phone: z
    .string({ error: "phone is required, in international format, e.g. +7 912 345-67-89" })
    .min(1, "phone is required, in international format, e.g. +7 912 345-67-89")
    .max(40, "phone must be at most 40 characters"),
  purpose: z.enum(consentPurposes, { error: "purpose must be service or marketing" }),
  action: z.enum(consentActions, { error: "action must be opt_in or opt_out" }),
  source: z.enum(externalConsentSources, {
    error: `source must be one of ${externalConsentSources.join(", ")}`,
  }),
  evidence,
  occurredAt: z.iso
    .datetime({ offset: true, message: "occurredAt must be an ISO 8601 date-time with a time zone" })
    .optional(),
});
export type RecordExternalConsentInput = z.input<typeof recordExternalConsentInput>;

export const maxConsentKeywords = 20;
export const maxConsentKeywordLength = 40;
export const maxConfirmationLength = 1000;

const keywordList = (label: string) =>
  z
    .array(
      z
        .string({ error: `${label} must be text` })
        .trim()
        .min(1, `${label} may not be empty`)
        .max(maxConsentKeywordLength, `${label} must be at most ${maxConsentKeywordLength} characters`),
      { error: `${label}s must be a list of words` },
    )
    .max(maxConsentKeywords, `at most ${maxConsentKeywords} ${label}s`);

const confirmation = (label: string) =>
  z
    .string({ error: `${label} must be text` })
    .trim()
    .min(1, `${label} may not be empty`)
    .max(maxConfirmationLength, `${label} must be at most ${maxConfirmationLength} characters`);

export const inboxConsentSettingsInput = z.object({ inboxId });
export type InboxConsentSettingsInput = z.input<typeof inboxConsentSettingsInput>;

export const saveInboxConsentSettingsInput = z
  .object({
    inboxId,
    extraOptOutKeywords: keywordList("opt-out keyword"),
    extraOptInKeywords: keywordList("opt-in keyword"),
    optOutConfirmation: confirmation("optOutConfirmation"),
    optInConfirmation: confirmation("optInConfirmation"),
    sendConfirmations: z.boolean({ error: "sendConfirmations must be true or false" }),
  })
  .strict();
export type SaveInboxConsentSettingsInput = z.input<typeof saveInboxConsentSettingsInput>;

/** Large enough for ~50,000 rows; bigger lists go in several files. */
export const maxConsentCsvBytes = 5 * 1024 * 1024;

export const importConsentCsvInput = z.object({
  inboxId,
  /** The file's text, already decoded as UTF-8 by the route. */
  csv: z.string({ error: "the CSV file is required" }),
});
export type ImportConsentCsvInput = z.input<typeof importConsentCsvInput>;
