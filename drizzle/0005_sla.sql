CREATE TABLE "inbox_sla_settings" (
	"inbox_id" uuid PRIMARY KEY NOT NULL,
	"calendar" jsonb,
	"policy" jsonb,
	"off_hours_reply_enabled" boolean DEFAULT true NOT NULL,
	"off_hours_reply_template" text,
	"updated_by" uuid,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sla_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"conversation_id" uuid NOT NULL,
	"inbox_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"started_at" timestamp (3) with time zone NOT NULL,
	"clock_started_at" timestamp (3) with time zone NOT NULL,
	"due_at" timestamp (3) with time zone NOT NULL,
	"at_risk_at" timestamp (3) with time zone NOT NULL,
	"target_minutes" integer NOT NULL,
	"clock" text NOT NULL,
	"met_at" timestamp (3) with time zone,
	"met_by" uuid,
	"response_minutes" double precision,
	"stopped_at" timestamp (3) with time zone,
	"breached_at" timestamp (3) with time zone,
	"reviewed_at" timestamp (3) with time zone,
	"reviewed_by" uuid,
	"review_reason" text,
	"review_note" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sla_events_kind_check" CHECK ("sla_events"."kind" in ('first_response', 'next_response')),
	CONSTRAINT "sla_events_clock_check" CHECK ("sla_events"."clock" in ('business_hours', 'calendar')),
	CONSTRAINT "sla_events_review_reason_check" CHECK ("sla_events"."review_reason" in ('staffing', 'complex_case', 'customer_delay', 'tool_problem', 'other')),
	CONSTRAINT "sla_events_review_complete_check" CHECK (("sla_events"."reviewed_at" is null) = ("sla_events"."review_reason" is null)),
	CONSTRAINT "sla_events_review_needs_breach_check" CHECK ("sla_events"."reviewed_at" is null or "sla_events"."breached_at" is not null)
);
--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "last_auto_reply_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "sla_kind" text;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "sla_started_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "sla_due_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "sla_at_risk_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "sla_breached_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "sla_replied_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "inbox_sla_settings" ADD CONSTRAINT "inbox_sla_settings_inbox_id_inboxes_id_fk" FOREIGN KEY ("inbox_id") REFERENCES "public"."inboxes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbox_sla_settings" ADD CONSTRAINT "inbox_sla_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_events" ADD CONSTRAINT "sla_events_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_events" ADD CONSTRAINT "sla_events_inbox_id_inboxes_id_fk" FOREIGN KEY ("inbox_id") REFERENCES "public"."inboxes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_events" ADD CONSTRAINT "sla_events_met_by_users_id_fk" FOREIGN KEY ("met_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_events" ADD CONSTRAINT "sla_events_reviewed_by_users_id_fk" FOREIGN KEY ("reviewed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "sla_events_one_running_per_conversation_key" ON "sla_events" USING btree ("conversation_id") WHERE "sla_events"."met_at" is null and "sla_events"."stopped_at" is null;--> statement-breakpoint
CREATE INDEX "sla_events_ticker_idx" ON "sla_events" USING btree ("due_at") WHERE "sla_events"."met_at" is null and "sla_events"."stopped_at" is null and "sla_events"."breached_at" is null;--> statement-breakpoint
CREATE INDEX "sla_events_running_idx" ON "sla_events" USING btree ("inbox_id","due_at") WHERE "sla_events"."met_at" is null and "sla_events"."stopped_at" is null;--> statement-breakpoint
CREATE INDEX "sla_events_review_queue_idx" ON "sla_events" USING btree ("inbox_id","breached_at" DESC NULLS LAST) WHERE "sla_events"."breached_at" is not null and "sla_events"."reviewed_at" is null;--> statement-breakpoint
CREATE INDEX "sla_events_inbox_started_idx" ON "sla_events" USING btree ("inbox_id","started_at");--> statement-breakpoint
CREATE INDEX "sla_events_conversation_idx" ON "sla_events" USING btree ("conversation_id","started_at");--> statement-breakpoint
CREATE INDEX "conversations_sla_due_idx" ON "conversations" USING btree ("inbox_id","sla_due_at") WHERE "conversations"."sla_due_at" is not null;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_sla_kind_check" CHECK ("conversations"."sla_kind" in ('first_response', 'next_response'));