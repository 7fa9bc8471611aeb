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
export { importConsentCsv, type ConsentImportSummary } from "./import-csv";
export { getInboxConsentSettings, saveInboxConsentSettings } from "./manage-settings";
export { recordExternalConsent, type ExternalConsentResult } from "./record-external";
export { maxConsentCsvBytes } from "./schemas";
