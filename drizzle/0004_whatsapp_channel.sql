CREATE TABLE "pending_message_statuses" (
	"inbox_id" uuid NOT NULL,
	"wamid" text NOT NULL,
	"status" text NOT NULL,
	"occurred_at" timestamp (3) with time zone NOT NULL,
	"error_code" integer,
	"error_title" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pending_message_statuses_inbox_id_wamid_status_pk" PRIMARY KEY("inbox_id","wamid","status"),
	CONSTRAINT "pending_message_statuses_status_check" CHECK ("pending_message_statuses"."status" in ('sent', 'delivered', 'read', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "outbox_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"kind" text NOT NULL,
	"inbox_id" uuid NOT NULL,
	"conversation_id" uuid,
	"message_id" uuid,
	"request" jsonb NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp (3) with time zone,
	CONSTRAINT "outbox_kind_check" CHECK ("outbox"."kind" in ('send_message', 'mark_read')),
	CONSTRAINT "outbox_status_check" CHECK ("outbox"."status" in ('queued', 'in_flight', 'done', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "templates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"inbox_id" uuid NOT NULL,
	"name" text NOT NULL,
	"language" text NOT NULL,
	"category" text NOT NULL,
	"status" text NOT NULL,
	"parameter_format" text NOT NULL,
	"body" text NOT NULL,
	"parameters" jsonb NOT NULL,
	"components" jsonb,
	"external_id" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "templates_category_check" CHECK ("templates"."category" in ('utility', 'marketing', 'authentication')),
	CONSTRAINT "templates_status_check" CHECK ("templates"."status" in ('approved', 'pending', 'rejected', 'paused', 'disabled')),
	CONSTRAINT "templates_parameter_format_check" CHECK ("templates"."parameter_format" in ('named', 'positional'))
);
--> statement-breakpoint
CREATE TABLE "simulator_media" (
	"id" text PRIMARY KEY NOT NULL,
	"mime_type" text NOT NULL,
	"filename" text,
	"sha256" text NOT NULL,
	"data" "bytea" NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "simulator_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "simulator_messages_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"phone_number_id" text NOT NULL,
	"customer" text NOT NULL,
	"customer_name" text,
	"direction" text NOT NULL,
	"wamid" text NOT NULL,
	"idempotency_key" text,
	"type" text NOT NULL,
	"body" text,
	"payload" jsonb,
	"status" text NOT NULL,
	"fail_code" integer,
	"error" text,
	"next_status_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "simulator_messages_direction_check" CHECK ("simulator_messages"."direction" in ('to_business', 'to_customer')),
	CONSTRAINT "simulator_messages_status_check" CHECK ("simulator_messages"."status" in ('sending', 'accepted', 'sent', 'delivered', 'read', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "simulator_settings" (
	"key" text PRIMARY KEY NOT NULL,
	"failure_kind" text DEFAULT 'none' NOT NULL,
	"failure_code" integer,
	"failures_remaining" integer,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "simulator_settings_failure_kind_check" CHECK ("simulator_settings"."failure_kind" in ('none', 'server_error', 'timeout', 'accept_then_timeout', 'graph_error', 'failed_status'))
);
--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "failure_reason" text;--> statement-breakpoint
ALTER TABLE "webhook_events" ADD COLUMN "notes" jsonb;--> statement-breakpoint
ALTER TABLE "pending_message_statuses" ADD CONSTRAINT "pending_message_statuses_inbox_id_inboxes_id_fk" FOREIGN KEY ("inbox_id") REFERENCES "public"."inboxes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_inbox_id_inboxes_id_fk" FOREIGN KEY ("inbox_id") REFERENCES "public"."inboxes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "templates" ADD CONSTRAINT "templates_inbox_id_inboxes_id_fk" FOREIGN KEY ("inbox_id") REFERENCES "public"."inboxes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "pending_message_statuses_created_idx" ON "pending_message_statuses" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "outbox_due_idx" ON "outbox" USING btree ("next_attempt_at") WHERE "outbox"."status" in ('queued', 'in_flight');--> statement-breakpoint
CREATE INDEX "outbox_conversation_pending_idx" ON "outbox" USING btree ("conversation_id","seq") WHERE "outbox"."status" in ('queued', 'in_flight');--> statement-breakpoint
CREATE INDEX "outbox_message_idx" ON "outbox" USING btree ("message_id");--> statement-breakpoint
CREATE UNIQUE INDEX "templates_inbox_name_language_key" ON "templates" USING btree ("inbox_id","name","language");--> statement-breakpoint
CREATE INDEX "templates_name_language_idx" ON "templates" USING btree ("name","language");--> statement-breakpoint
CREATE UNIQUE INDEX "simulator_messages_wamid_key" ON "simulator_messages" USING btree ("wamid");--> statement-breakpoint
CREATE UNIQUE INDEX "simulator_messages_idempotency_key" ON "simulator_messages" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "simulator_messages_chat_idx" ON "simulator_messages" USING btree ("phone_number_id","customer","seq");--> statement-breakpoint
CREATE INDEX "simulator_messages_due_idx" ON "simulator_messages" USING btree ("next_status_at");