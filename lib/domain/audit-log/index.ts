export { listAuditLog, type AuditLogItem } from "./list";
export * from "./schemas";
