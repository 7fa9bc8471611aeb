import type { UserRole } from "@/lib/db/schema";

/** Every permission in the product, as `resource.action`. */
export const permissions = [
  "conversations.read",
  "conversations.reply",
  "conversations.note",
  "conversations.assign",
  "conversations.update_status",
  "conversations.label",
  "labels.manage",
  "contacts.read",
  "contacts.update",
  "contacts.export",
  "contacts.erase",
  "messages.reveal_original",
  "consents.record",
  "consents.import",
  "canned_replies.read",
  "canned_replies.manage",
  "templates.read",
  "templates.manage",
  "sla.read",
  "sla.review",
  "reports.read",
  "reports.export",
  "users.manage",
  "access_reviews.manage",
  "audit_log.read",
  "inboxes.manage",
  "business_hours.manage",
  "sla_policies.manage",
  "retention.manage",
  "simulator.use",
  "api_tokens.manage_own",
] as const;
export type Permission = (typeof permissions)[number];

const agent: readonly Permission[] = [
  "conversations.read",
  "conversations.reply",
  "conversations.note",
  "conversations.assign",
  "conversations.update_status",
  "conversations.label",
  "contacts.read",
  "contacts.update",
  "consents.record",
  "canned_replies.read",
  "templates.read",
  "api_tokens.manage_own",
];

const supervisor: readonly Permission[] = [
  ...agent,
  "sla.read",
  "sla.review",
  "reports.read",
  "reports.export",
  // Supervisors answer customers' export requests for their inboxes; erasure stays with admins.
  "contacts.export",
  // Bulk consent lists come from the business's marketing systems: supervisors and admins import them.
  "consents.import",
];

/** The role table: the one place that says who may do what. */
export const rolePermissions: Record<UserRole, ReadonlySet<Permission>> = {
  agent: new Set(agent),
  supervisor: new Set(supervisor),
  admin: new Set(permissions),
};

export function roleHasPermission(role: UserRole, permission: Permission): boolean {
  return rolePermissions[role].has(permission);
}
