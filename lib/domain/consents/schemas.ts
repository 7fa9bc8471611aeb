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
