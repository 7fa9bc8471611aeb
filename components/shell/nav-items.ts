export interface NavItem {
  href: string;
  label: string;
  description: string;
}

/** The product's sections; each appears once its issue lands and the role may see it. */
export const navItems: NavItem[] = [
  { href: "/", label: "Inbox", description: "Conversations with customers" },
];
