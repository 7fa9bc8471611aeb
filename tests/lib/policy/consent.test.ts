import { describe, expect, it } from "vitest";
import {
  canSend,
  currentConsent,
  keywordConsentPurposes,
  type ConsentEventLike,
  type ConsentSnapshot,
  type PurposeConsent,
  type SendBlockCode,
  type SendRequest,
} from "@/lib/policy/consent";

const t0 = new Date("2026-03-01T10:00:00.000Z");
const minutes = (n: number) => new Date(t0.getTime() + n * 60_000);

describe("currentConsent", () => {
  it("is unknown for both purposes without events", () => {
    expect(currentConsent([])).toEqual({
      service: { state: "unknown", since: null, source: null },
      marketing: { state: "unknown", since: null, source: null },
    });
  });

  it("takes the latest event of each purpose on its own", () => {
    const events: ConsentEventLike[] = [
      { purpose: "service", action: "opt_in", source: "web_form", at: minutes(0) },
      { purpose: "marketing", action: "opt_in", source: "event_registration", at: minutes(1) },
      { purpose: "marketing", action: "opt_out", source: "user_preferences_webhook", at: minutes(5) },
    ];
    expect(currentConsent(events)).toEqual({
      service: { state: "opted_in", since: minutes(0), source: "web_form" },
      marketing: { state: "opted_out", since: minutes(5), source: "user_preferences_webhook" },
    });
  });

  it("orders by the time recorded, not by position, so a late import of old consent does not win", () => {
    const events: ConsentEventLike[] = [
      { purpose: "service", action: "opt_out", source: "inbound_keyword", at: minutes(10) },
      { purpose: "service", action: "opt_in", source: "import", at: minutes(-600) },
    ];
    expect(currentConsent(events).service).toMatchObject({ state: "opted_out", source: "inbound_keyword" });
  });

  it("lets the later-listed event win when two share a timestamp", () => {
    const events: ConsentEventLike[] = [
      { purpose: "service", action: "opt_out", source: "web_form", at: minutes(1) },
      { purpose: "service", action: "opt_in", source: "web_form", at: minutes(1) },
    ];
    expect(currentConsent(events).service.state).toBe("opted_in");
  });

  it("keeps a customer's STOP when a START carries the same second, in either order", () => {
    const stop = {
      purpose: "service",
      action: "opt_out",
      source: "inbound_keyword",
      at: minutes(1),
    } as const;
    const start = {
      purpose: "service",
      action: "opt_in",
      source: "inbound_keyword",
      at: minutes(1),
    } as const;
    expect(currentConsent([stop, start]).service.state).toBe("opted_out");
    expect(currentConsent([start, stop]).service.state).toBe("opted_out");
    // A START a second later is the customer's latest word.
    const later = { ...start, at: minutes(1.0 + 1 / 60) };
    expect(currentConsent([stop, later]).service.state).toBe("opted_in");
  });

  it("follows STOP, START and STOP again", () => {
    const keyword = (action: "opt_in" | "opt_out", at: Date): ConsentEventLike[] =>
      keywordConsentPurposes[action].map((purpose) => ({ purpose, action, source: "inbound_keyword", at }));
    const events = [
      { purpose: "marketing", action: "opt_in", source: "web_form", at: minutes(0) } as const,
      ...keyword("opt_out", minutes(1)),
      ...keyword("opt_in", minutes(2)),
    ];
    const afterStart = currentConsent(events);
    expect(afterStart.service.state).toBe("opted_in");
    // START restores service only: promotions need a new, explicit marketing opt-in.
    expect(afterStart.marketing.state).toBe("opted_out");
    expect(currentConsent([...events, ...keyword("opt_out", minutes(3))]).service.state).toBe("opted_out");
  });
});

const unknown: PurposeConsent = { state: "unknown", since: null, source: null };
const optedIn = (source: PurposeConsent["source"] = "web_form"): PurposeConsent => ({
  state: "opted_in",
  since: t0,
  source,
});
const optedOut = (source: PurposeConsent["source"] = "inbound_keyword"): PurposeConsent => ({
  state: "opted_out",
  since: t0,
  source,
});
const consent = (service: PurposeConsent, marketing: PurposeConsent): ConsentSnapshot => ({
  service,
  marketing,
});

const stopped = consent(optedOut(), optedOut());
const fresh = consent(unknown, unknown);
const subscribed = consent(optedIn(), optedIn());
const serviceOnly = consent(optedIn(), unknown);
const noPromotions = consent(optedIn(), optedOut("user_preferences_webhook"));

const base: Omit<SendRequest, "consent"> = {
  purpose: "service",
  kind: "free_form",
  windowOpen: true,
  customerInitiated: false,
  isOptOutConfirmation: false,
};

describe("canSend", () => {
  it.each<[label: string, expected: SendBlockCode | "allowed", request: SendRequest]>([
    // The opt-out confirmation
    [
      "the one confirmation right after a STOP",
      "allowed",
      { ...base, consent: stopped, isOptOutConfirmation: true },
    ],
    [
      "a confirmation of a marketing-only opt-out",
      "allowed",
      { ...base, consent: noPromotions, isOptOutConfirmation: true },
    ],
    [
      "a 'confirmation' when nobody opted out",
      "no_opt_out_to_confirm",
      { ...base, consent: subscribed, isOptOutConfirmation: true },
    ],
    [
      "a free-form confirmation after the window closed",
      "window_closed",
      { ...base, consent: stopped, isOptOutConfirmation: true, windowOpen: false },
    ],
    // After STOP
    ["an agent reply after a STOP", "opted_out", { ...base, consent: stopped }],
    [
      "a template after a STOP",
      "opted_out",
      { ...base, consent: stopped, kind: "template", windowOpen: false },
    ],
    [
      "an automatic reply after a STOP, window still open",
      "opted_out",
      { ...base, consent: stopped, kind: "template" },
    ],
    [
      "a reply to a question the customer asked after STOP",
      "allowed",
      { ...base, consent: stopped, customerInitiated: true },
    ],
    [
      "a template answering that question within the window",
      "allowed",
      { ...base, consent: stopped, customerInitiated: true, kind: "template" },
    ],
    [
      "a reply to that question after 24 hours",
      "opted_out_window_closed",
      { ...base, consent: stopped, customerInitiated: true, windowOpen: false },
    ],
    [
      "marketing to a customer who asked a question after STOP",
      "opted_out",
      { ...base, consent: stopped, customerInitiated: true, purpose: "marketing" },
    ],
    [
      "marketing after STOP even with an earlier marketing opt-in",
      "opted_out",
      { ...base, consent: consent(optedOut(), optedIn()), purpose: "marketing", kind: "template" },
    ],
    // Marketing
    [
      "marketing with an explicit marketing opt-in",
      "allowed",
      { ...base, consent: subscribed, purpose: "marketing", kind: "template", windowOpen: false },
    ],
    [
      "marketing with only a service opt-in",
      "marketing_consent_missing",
      { ...base, consent: serviceOnly, purpose: "marketing" },
    ],
    [
      "marketing to a customer who never opted in, in an open window",
      "marketing_consent_missing",
      { ...base, consent: fresh, purpose: "marketing", customerInitiated: true },
    ],
    [
      "marketing after a marketing opt-out",
      "marketing_opted_out",
      { ...base, consent: noPromotions, purpose: "marketing", kind: "template" },
    ],
    [
      "a free-form promotion outside the window",
      "window_closed",
      { ...base, consent: subscribed, purpose: "marketing", windowOpen: false },
    ],
    // Service
    [
      "a reply in an open window to a customer with no consent on record",
      "allowed",
      { ...base, consent: fresh },
    ],
    [
      "a service reply to a customer who only opted out of marketing",
      "allowed",
      { ...base, consent: noPromotions },
    ],
    [
      "a free-form reply outside the window",
      "window_closed",
      { ...base, consent: subscribed, windowOpen: false },
    ],
    [
      "a service template outside the window with a service opt-in",
      "allowed",
      { ...base, consent: serviceOnly, kind: "template", windowOpen: false },
    ],
    [
      "a service template outside the window with a marketing opt-in only",
      "allowed",
      { ...base, consent: consent(unknown, optedIn()), kind: "template", windowOpen: false },
    ],
    [
      "a template starting a conversation without any opt-in",
      "consent_missing",
      { ...base, consent: fresh, kind: "template", windowOpen: false },
    ],
    [
      "a template starting a conversation after a marketing opt-out only",
      "consent_missing",
      { ...base, consent: consent(unknown, optedOut()), kind: "template", windowOpen: false },
    ],
  ])("%s: %s", (_label, expected, request) => {
    const decision = canSend(request);
    expect(decision.allowed ? "allowed" : decision.code).toBe(expected);
  });

  it("explains a refusal in a sentence an agent can act on, naming how the customer opted out", () => {
    const decision = canSend({ ...base, consent: stopped });
    expect(decision).toEqual({
      allowed: false,
      code: "opted_out",
      reason:
        "This customer opted out of all messages by replying with an opt-out keyword. Nothing can be sent " +
        "until they opt back in (for example by replying START); if they write to you with a question, you " +
        "may answer it within 24 hours.",
    });
  });

  it("says where a marketing opt-out came from", () => {
    const decision = canSend({ ...base, consent: noPromotions, purpose: "marketing" });
    expect(decision.allowed ? "" : decision.reason).toMatch(
      /^This customer opted out of marketing messages in their WhatsApp settings/,
    );
  });
});
