export { listContactConsents, recordContactConsent, type ContactConsents } from "./contact-consents";
export {
  conversationAudience,
  enqueueOutboxIfAllowed,
  judgeOutbound,
  requireOutboundAllowed,
  type OutboundJudgement,
} from "./gate";
export { loadConsentHistory, loadConsentSnapshot, redactConsentEvidence } from "./ledger";
export { loadInboxConsentSettings } from "./settings";
