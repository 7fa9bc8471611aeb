// Hooks for the paths that write messages and statuses, in the caller's transaction.
export {
  onCustomerMessage,
  onAgentReply,
  onConversationResolved,
  type SlaChange,
  type SlaClockState,
} from "./clock";
export { announceSlaChanges, toSlaClockDto } from "./announce";
export { planOffHoursReply, maybeQueueOffHoursReply } from "./off-hours";
export { loadInboxSlaSettings, type InboxSlaSettings } from "./inbox-settings";
// Verbs.
export {
  listInboxSlaSettings,
  getInboxSlaSettings,
  updateBusinessHours,
  updateSlaPolicy,
  saveInboxSlaSettings,
} from "./settings";
export { listSlaBoard, listBreachesForReview, type SlaBoardItem, type BreachForReview } from "./board";
export { reviewBreach } from "./review";
export { slaReport, exportSlaReport, responseTimeBuckets, type SlaReport, type SlaOutcome } from "./report";
export * from "./schemas";
