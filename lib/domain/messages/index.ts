export { sendMessage, WINDOW_CLOSED_MESSAGE } from "./send";
export { markConversationRead } from "./mark-read";
export * from "./schemas";
