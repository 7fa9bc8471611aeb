CREATE INDEX "contacts_wa_id_trgm_idx" ON "contacts" USING gin ("wa_id" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "contacts_phone_trgm_idx" ON "contacts" USING gin ("phone" gin_trgm_ops);