-- hand-written: the existing search indexes take the small pending list in place instead of being rebuilt.
ALTER INDEX "contacts_profile_name_trgm_idx" SET (gin_pending_list_limit=64);--> statement-breakpoint
-- hand-written: as above.
ALTER INDEX "messages_body_trgm_idx" SET (gin_pending_list_limit=64);--> statement-breakpoint
CREATE INDEX "contacts_wa_id_trgm_idx" ON "contacts" USING gin ("wa_id" gin_trgm_ops) WITH (gin_pending_list_limit=64);--> statement-breakpoint
CREATE INDEX "contacts_phone_trgm_idx" ON "contacts" USING gin ("phone" gin_trgm_ops) WITH (gin_pending_list_limit=64);
