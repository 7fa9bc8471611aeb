export * from "./users";
export * from "./inboxes";
export * from "./contacts";
export * from "./conversations";
export * from "./messages";
export * from "./webhook-events";
export * from "./audit-log";
export * from "./auth";
