import type { Permission } from "@/lib/auth/permissions";

export interface NavItem {
  href: string;
  label: string;
  description: string;
  /** Shown only to roles with this permission; the page checks it again on the server. */
  permission?: Permission;
}

/** The product's sections; each appears once its issue lands and the role may see it. */
export const navItems: NavItem[] = [
  { href: "/", label: "Inbox", description: "Conversations with customers" },
  {
    href: "/supervisor/sla",
    label: "SLA board",
    description: "At-risk and breached conversations, breach review",
    permission: "sla.read",
  },
  {
    href: "/supervisor/reports",
    label: "Reports",
    description: "Response-time hit rate, breaches and first-response times",
    permission: "reports.read",
  },
  {
    href: "/contacts/consents/import",
    label: "Import consents",
    description: "Opt-ins and opt-outs from a CSV list, with a per-row report",
    permission: "consents.import",
  },
  {
    href: "/admin/users",
    label: "Users",
    description: "Team members, roles and inboxes",
    permission: "users.manage",
  },
  {
    href: "/admin/access-review",
    label: "Access review",
    description: "Confirm or revoke who has access",
    permission: "access_reviews.manage",
  },
  {
    href: "/admin/canned-replies",
    label: "Canned replies",
    description: "The team's ready-made polite replies",
    permission: "canned_replies.manage",
  },
  {
    href: "/admin/business-hours",
    label: "Business hours",
    description: "Opening hours, holidays, response targets and the off-hours reply per inbox",
    permission: "business_hours.manage",
  },
  {
    href: "/admin/privacy",
    label: "Privacy",
    description: "Retention and masked secrets",
    permission: "retention.manage",
  },
  {
    href: "/admin/audit-log",
    label: "Audit log",
    description: "Who did what, and when",
    permission: "audit_log.read",
  },
];
