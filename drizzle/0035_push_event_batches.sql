CREATE TABLE "push_event_batches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"merchant_id" uuid NOT NULL,
	"card_ids" uuid[] NOT NULL,
	"lease_until" timestamp with time zone NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "push_event_batches" ADD CONSTRAINT "push_event_batches_event_id_push_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."push_events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "push_event_batches" ADD CONSTRAINT "push_event_batches_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "push_event_batches_event_idx" ON "push_event_batches" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "push_event_batches_lease_idx" ON "push_event_batches" USING btree ("lease_until");