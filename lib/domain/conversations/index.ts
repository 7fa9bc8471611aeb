export {
  listConversations,
  type ConversationListItem,
  type ConversationPage,
  type ConversationSla,
} from "./list";
export { countConversations, type ViewCount } from "./counts";
export { getConversation, type ConversationDetail } from "./get";
export { listMessages, type ThreadPage } from "./list-messages";
export { setConversationStatus } from "./set-status";
export { assignConversation } from "./assign";
export { addConversationLabel, removeConversationLabel } from "./labels";
export * from "./schemas";
export { addNote } from "./add-note";
