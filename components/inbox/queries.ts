"use client";

import { api, withQuery } from "@/lib/client/api";
import type {
  CannedReplyItem,
  Conversation,
  ConversationListPage,
  ContactConsentsView,
  Counts,
  LabelItem,
  ListFilters,
  TemplateItem,
  Me,
  Thread,
} from "./types";

/** Query keys in one place, so the socket hook patches exactly what the views read. */
export const inboxKeys = {
  me: ["me"] as const,
  lists: ["conversations"] as const,
  list: (filters: ListFilters) => ["conversations", filters] as const,
  counts: (filters: Omit<ListFilters, "view" | "sort">) => ["conversation-counts", filters] as const,
  allCounts: ["conversation-counts"] as const,
  conversation: (id: string) => ["conversation", id] as const,
  thread: (id: string) => ["thread", id] as const,
  labels: ["labels"] as const,
  canned: (inboxId: string) => ["canned-replies", inboxId] as const,
  members: (inboxId: string) => ["inbox-members", inboxId] as const,
  templates: (inboxId: string) => ["templates", inboxId] as const,
  contact: (id: string) => ["contact", id] as const,
  consents: (contactId: string) => ["contact-consents", contactId] as const,
};

export const fetchMe = () => api<Me>("/api/v1/me");

export const fetchConversationPage = (filters: ListFilters, cursor: string | undefined) =>
  api<ConversationListPage>(withQuery("/api/v1/conversations", { ...filters, cursor, limit: 50 }));

export const fetchCounts = (filters: Omit<ListFilters, "view" | "sort">) =>
  api<Counts>(withQuery("/api/v1/conversations/counts", filters));

export const fetchConversation = (id: string) => api<Conversation>(`/api/v1/conversations/${id}`);

export const fetchThreadPage = (id: string, before: string | undefined) =>
  api<Thread>(withQuery(`/api/v1/conversations/${id}/messages`, { before, limit: 50 }));

export const fetchLabels = () => api<{ items: LabelItem[] }>("/api/v1/labels").then((r) => r.items);

export const fetchCannedReplies = (inboxId: string) =>
  api<{ items: CannedReplyItem[] }>(withQuery("/api/v1/canned-replies", { inboxId })).then((r) => r.items);

export const fetchMembers = (inboxId: string) =>
  api<{ items: { id: string; name: string }[] }>(`/api/v1/inboxes/${inboxId}/members`).then((r) => r.items);

/** The inbox's WhatsApp templates Meta approved: what may be sent once the 24-hour window closed. */
export const fetchApprovedTemplates = (inboxId: string) =>
  api<{ items: TemplateItem[] }>(withQuery("/api/v1/templates", { inboxId, status: "approved" })).then(
    (r) => r.items,
  );

/** The contact's consent per purpose and its full ledger (patched live by `consent.changed`). */
export const fetchContactConsents = (contactId: string) =>
  api<ContactConsentsView>(`/api/v1/contacts/${contactId}/consents`);
