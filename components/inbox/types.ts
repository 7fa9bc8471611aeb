import type { Jsonify } from "@/lib/client/api";
import type {
  ConversationDetail,
  ConversationListItem,
  ConversationPage,
  ThreadPage,
  ViewCount,
} from "@/lib/domain/conversations";
import type { ContactConsents } from "@/lib/domain/consents";
import type { CannedReply, Label, Template } from "@/lib/db/schema";

export type ConversationItem = Jsonify<ConversationListItem>;
export type ConversationListPage = Jsonify<ConversationPage>;
export type Conversation = Jsonify<ConversationDetail>;
export type Thread = Jsonify<ThreadPage>;
export type ThreadMessage = Thread["messages"][number];
export type ThreadEvent = Thread["events"][number];
/** null: a search's count took too long; the views show no number. */
export type Counts = Record<"mine" | "unassigned" | "all", ViewCount | null>;
export type LabelItem = Jsonify<Label>;
export type CannedReplyItem = Jsonify<CannedReply>;
export type TemplateItem = Jsonify<Template>;
export type ContactConsentsView = Jsonify<ContactConsents>;

export interface Me {
  id: string;
  name: string;
  role: "admin" | "supervisor" | "agent";
  inboxes: { id: string; name: string }[];
}

export interface ListFilters {
  view: "all" | "mine" | "unassigned";
  status: "open" | "pending" | "resolved";
  inboxId?: string;
  labelId?: string;
  q?: string;
  sort: "waiting" | "recent";
  /** Only conversations whose response clock is at risk or breached now (filtered by the server). */
  sla?: "at_risk" | "breached";
}
