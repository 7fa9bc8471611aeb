export { getPrivacyOverview, readPrivacySettings, updatePrivacySettings, type PrivacySettingsView } from "./settings";
export { revealOriginal } from "./originals";
export { runRetention, runRetentionNow } from "./retention";
export * from "./schemas";
