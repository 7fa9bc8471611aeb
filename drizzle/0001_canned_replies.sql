CREATE TABLE "canned_replies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"inbox_id" uuid,
	"shortcut" text NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "canned_replies" ADD CONSTRAINT "canned_replies_inbox_id_inboxes_id_fk" FOREIGN KEY ("inbox_id") REFERENCES "public"."inboxes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "canned_replies" ADD CONSTRAINT "canned_replies_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "canned_replies_global_shortcut_key" ON "canned_replies" USING btree ("shortcut") WHERE "canned_replies"."inbox_id" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "canned_replies_inbox_shortcut_key" ON "canned_replies" USING btree ("inbox_id","shortcut") WHERE "canned_replies"."inbox_id" is not null;--> statement-breakpoint
CREATE INDEX "canned_replies_inbox_idx" ON "canned_replies" USING btree ("inbox_id");