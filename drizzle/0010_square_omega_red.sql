ALTER TABLE "card_events" DROP CONSTRAINT "card_events_card_id_cards_id_fk";
--> statement-breakpoint
ALTER TABLE "card_events" ALTER COLUMN "card_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "card_events" ALTER COLUMN "type" SET DATA TYPE text;--> statement-breakpoint
-- One dotted vocabulary (lib/card-events/names): today's values take their new names.
UPDATE "card_events" SET "type" = CASE "type"
  WHEN 'customer_changed' THEN 'card.holder_changed'
  WHEN 'push_sent' THEN 'wallet.push_sent'
  WHEN 'push_failed' THEN 'wallet.push_failed'
  ELSE 'card.' || "type" END;--> statement-breakpoint
CREATE INDEX "card_events_merchant_type_created_idx" ON "card_events" USING btree ("merchant_id","type","created_at");--> statement-breakpoint
DROP TYPE "public"."card_event_type";--> statement-breakpoint
UPDATE "audit_log" SET "action" = 'card.holder_changed' WHERE "action" = 'card.customer_changed';
