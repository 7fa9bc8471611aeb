export { getContact, type ContactDetail } from "./get";
export { correctContact } from "./correct";
export { exportContact, type ContactExport } from "./export";
export { eraseContact, type ErasureOutcome } from "./erase";
export { personalDataSections, type PersonalDataSection } from "./personal-data";
export * from "./schemas";
