import { QueryClient } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import { composerConsent, customerWroteSince, type ConsentJson } from "@/components/inbox/consent-status";
import { inboxKeys } from "@/components/inbox/queries";
import type { ContactConsentsView, ThreadMessage } from "@/components/inbox/types";
import { applyConsentChange } from "@/components/inbox/use-inbox-socket";

const contactId = "55555555-5555-4555-8555-555555555555";
const stopAt = "2026-11-22T10:00:00.000Z";

const optedIn: ConsentJson = {
  service: { state: "opted_in", since: "2026-11-01T09:00:00.000Z", source: "web_form" },
  marketing: { state: "unknown", since: null, source: null },
};
const stopped: ConsentJson = {
  service: { state: "opted_out", since: stopAt, source: "inbound_keyword" },
  marketing: { state: "opted_out", since: stopAt, source: "inbound_keyword" },
};

function ledger(consent: ConsentJson): ContactConsentsView {
  return { contactId, consent, history: [], inboxKeywords: { extraOptOut: ["BASTA"], extraOptIn: [] } };
}

function inbound(body: string, createdAt: string): ThreadMessage {
  return {
    id: `m-${body}-${createdAt}`,
    conversationId: "c",
    inboxId: "i",
    direction: "inbound",
    authorKind: "contact",
    authorId: null,
    type: "text",
    body,
    payload: null,
    wamid: null,
    status: "received",
    errorCode: null,
    errorTitle: null,
    isPrivateNote: false,
    replyToWamid: null,
    createdAt,
    statusUpdatedAt: null,
    failureReason: null,
    retriedByMessageId: null,
    redactedAt: null,
  };
}

describe("consent.changed patches the cached ledger", () => {
  it("replaces the current state of a cached contact so the composer blocks at once", () => {
    const client = new QueryClient();
    client.setQueryData(inboxKeys.consents(contactId), ledger(optedIn));
    applyConsentChange(client, { contactId, inboxId: "i", conversationId: "c", consent: stopped });
    const data = client.getQueryData<ContactConsentsView>(inboxKeys.consents(contactId));
    expect(data?.consent).toEqual(stopped);
    expect(data?.inboxKeywords.extraOptOut).toEqual(["BASTA"]);
    expect(
      composerConsent(data?.consent, { windowOpen: true, customerWroteAgain: false }).freeForm,
    ).toMatchObject({
      allowed: false,
      code: "opted_out",
    });
  });

  it("leaves contacts nobody has open alone (nothing cached, nothing created)", () => {
    const client = new QueryClient();
    applyConsentChange(client, { contactId, inboxId: "i", conversationId: null, consent: stopped });
    expect(client.getQueryData(inboxKeys.consents(contactId))).toBeUndefined();
  });
});

describe("what the composer may send", () => {
  it("blocks replies and templates after STOP, with the opted-out banner", () => {
    const judged = composerConsent(stopped, { windowOpen: true, customerWroteAgain: false });
    expect(judged.freeForm.allowed).toBe(false);
    expect(judged.template.allowed).toBe(false);
    expect(judged.banner?.kind).toBe("opted_out");
    expect(judged.banner?.text).toMatch(
      /^Opted out on .+ via STOP — only the confirmation was sent; replies are blocked/,
    );
  });

  it("allows service replies in the window when the customer wrote again without START", () => {
    const judged = composerConsent(stopped, { windowOpen: true, customerWroteAgain: true });
    expect(judged.freeForm.allowed).toBe(true);
    expect(judged.banner).toMatchObject({ kind: "service_only" });
    expect(judged.banner?.text).toContain("marketing stays blocked");
    const late = composerConsent(stopped, { windowOpen: false, customerWroteAgain: true });
    expect(late.template).toMatchObject({ allowed: false, code: "opted_out_window_closed" });
    expect(late.banner?.kind).toBe("opted_out");
  });

  it("shows no banner for an opted-in customer and blocks nothing while the ledger loads", () => {
    expect(composerConsent(optedIn, { windowOpen: false, customerWroteAgain: false })).toMatchObject({
      banner: null,
      template: { allowed: true },
    });
    expect(
      composerConsent(undefined, { windowOpen: false, customerWroteAgain: false }).template.allowed,
    ).toBe(true);
  });

  it("needs an opt-in on record for a template after the window", () => {
    const none: ConsentJson = {
      service: { state: "unknown", since: null, source: null },
      marketing: { state: "unknown", since: null, source: null },
    };
    expect(composerConsent(none, { windowOpen: false, customerWroteAgain: false }).template).toMatchObject({
      allowed: false,
      code: "consent_missing",
    });
  });
});

describe("customerWroteSince", () => {
  const since = new Date("2026-11-22T10:00:00.400Z");
  it("counts a question after the opt-out, in the STOP's own second too, but not the keywords", () => {
    expect(customerWroteSince([inbound("STOP", stopAt)], since)).toBe(false);
    expect(customerWroteSince([inbound("stop!!! 🛑", "2026-11-22T10:00:05.000Z")], since)).toBe(false);
    expect(customerWroteSince([inbound("Where is my parcel?", "2026-11-22T09:59:00.000Z")], since)).toBe(
      false,
    );
    expect(customerWroteSince([inbound("Where is my parcel?", stopAt)], since)).toBe(true);
    expect(customerWroteSince([inbound("Where is my parcel?", "2026-11-22T10:03:00.000Z")], null)).toBe(
      false,
    );
  });

  it("treats the inbox's own keywords as keywords, matched as loosely as the built-in ones", () => {
    const keywords = { extraOptOut: ["BASTA", "Plus de messages"], extraOptIn: ["ALLONS"] };
    const after = "2026-11-22T10:00:05.000Z";
    for (const body of ["basta", "BASTA!!", "plus-de-messages 🙅", "Allons"]) {
      expect({ body, wrote: customerWroteSince([inbound(body, after)], since, keywords) }).toEqual({
        body,
        wrote: false,
      });
    }
    // Without the inbox's keywords the same word is a customer writing again.
    expect(customerWroteSince([inbound("basta", after)], since)).toBe(true);
    expect(customerWroteSince([inbound("Basta, but where is my parcel?", after)], since, keywords)).toBe(
      true,
    );
  });
});
