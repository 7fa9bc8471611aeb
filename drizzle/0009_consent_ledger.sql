CREATE TABLE "consent_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"contact_id" uuid NOT NULL,
	"purpose" text NOT NULL,
	"action" text NOT NULL,
	"source" text NOT NULL,
	"evidence" text,
	"recorded_by" uuid,
	"api_token_id" uuid,
	"message_id" uuid,
	"occurred_at" timestamp (3) with time zone NOT NULL,
	"evidence_redacted_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "consent_events_purpose_check" CHECK ("consent_events"."purpose" in ('service', 'marketing')),
	CONSTRAINT "consent_events_action_check" CHECK ("consent_events"."action" in ('opt_in', 'opt_out')),
	CONSTRAINT "consent_events_source_check" CHECK ("consent_events"."source" in ('inbound_keyword', 'web_form', 'event_registration', 'agent', 'import', 'user_preferences_webhook'))
);
--> statement-breakpoint
CREATE TABLE "inbox_consent_settings" (
	"inbox_id" uuid PRIMARY KEY NOT NULL,
	"extra_opt_out_keywords" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"extra_opt_in_keywords" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"opt_out_confirmation" text,
	"opt_in_confirmation" text,
	"send_confirmations" boolean DEFAULT true NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "purpose" text DEFAULT 'service' NOT NULL;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "is_opt_out_confirmation" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "consent_events" ADD CONSTRAINT "consent_events_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consent_events" ADD CONSTRAINT "consent_events_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbox_consent_settings" ADD CONSTRAINT "inbox_consent_settings_inbox_id_inboxes_id_fk" FOREIGN KEY ("inbox_id") REFERENCES "public"."inboxes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbox_consent_settings" ADD CONSTRAINT "inbox_consent_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "consent_events_contact_idx" ON "consent_events" USING btree ("contact_id","occurred_at","created_at");--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_purpose_check" CHECK ("outbox"."purpose" in ('service', 'marketing'));--> statement-breakpoint
-- hand-written: the consent ledger is append-only. Direct UPDATE/DELETE is refused; a delete that
-- cascades from removing the contact itself is allowed (pg_trigger_depth() > 1), and so is blanking
-- evidence through parley_redact_consent_evidence, which sets a transaction-local flag.
CREATE FUNCTION parley_consent_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF pg_trigger_depth() > 1 THEN RETURN OLD; END IF;
    RAISE EXCEPTION 'consent_events is append-only: rows cannot be deleted' USING ERRCODE = 'P0001';
  END IF;
  IF current_setting('parley.consent_redaction', true) = 'on'
     AND NEW.evidence IS NULL AND NEW.evidence_redacted_at IS NOT NULL
     AND (NEW.id, NEW.contact_id, NEW.purpose, NEW.action, NEW.source, NEW.recorded_by, NEW.api_token_id,
          NEW.message_id, NEW.occurred_at, NEW.created_at)
         IS NOT DISTINCT FROM
         (OLD.id, OLD.contact_id, OLD.purpose, OLD.action, OLD.source, OLD.recorded_by, OLD.api_token_id,
          OLD.message_id, OLD.occurred_at, OLD.created_at) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'consent_events is append-only: rows cannot be changed' USING ERRCODE = 'P0001';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER consent_events_append_only BEFORE UPDATE OR DELETE ON consent_events
  FOR EACH ROW EXECUTE FUNCTION parley_consent_events_append_only();
--> statement-breakpoint
CREATE FUNCTION parley_redact_consent_evidence(target_contact uuid, redacted_at timestamptz) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE changed integer;
BEGIN
  PERFORM set_config('parley.consent_redaction', 'on', true);
  UPDATE consent_events SET evidence = NULL, evidence_redacted_at = redacted_at
    WHERE contact_id = target_contact AND evidence_redacted_at IS NULL;
  GET DIAGNOSTICS changed = ROW_COUNT;
  PERFORM set_config('parley.consent_redaction', 'off', true);
  RETURN changed;
END;
$$;
