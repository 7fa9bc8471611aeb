export { listConversations, type ConversationListItem, type ConversationPage } from "./list";
export { setConversationStatus } from "./set-status";
export * from "./schemas";
