export { sendMessage, WINDOW_CLOSED_MESSAGE } from "./send";
export { markConversationRead } from "./mark-read";
export { retryMessage } from "./retry";
export * from "./schemas";
