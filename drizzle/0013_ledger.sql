CREATE TYPE "public"."ledger_transaction_status" AS ENUM('pending', 'completed');--> statement-breakpoint
CREATE TYPE "public"."ledger_transaction_type" AS ENUM('accrue', 'redeem', 'purchase', 'adjust', 'reversal', 'expire');--> statement-breakpoint
CREATE TABLE "ledger_movements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"transaction_id" uuid NOT NULL,
	"card_id" uuid NOT NULL,
	"points" integer NOT NULL,
	"balance_after" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ledger_movements_balance_after_check" CHECK ("ledger_movements"."balance_after" >= 0)
);
--> statement-breakpoint
CREATE TABLE "ledger_transactions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"merchant_id" uuid NOT NULL,
	"card_id" uuid NOT NULL,
	"type" "ledger_transaction_type" NOT NULL,
	"status" "ledger_transaction_status" DEFAULT 'completed' NOT NULL,
	"points" integer NOT NULL,
	"accrued" integer DEFAULT 0 NOT NULL,
	"redeemed" integer DEFAULT 0 NOT NULL,
	"amount" integer,
	"shortfall" integer DEFAULT 0 NOT NULL,
	"balance_after" integer NOT NULL,
	"receipt" text,
	"location_id" uuid,
	"reason" text,
	"actor_type" text NOT NULL,
	"actor_id" text,
	"idempotency_key" text,
	"request_hash" text,
	"reverses_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ledger_transactions_balance_after_check" CHECK ("ledger_transactions"."balance_after" >= 0)
);
--> statement-breakpoint
ALTER TABLE "ledger_movements" ADD CONSTRAINT "ledger_movements_transaction_id_ledger_transactions_id_fk" FOREIGN KEY ("transaction_id") REFERENCES "public"."ledger_transactions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_movements" ADD CONSTRAINT "ledger_movements_card_id_cards_id_fk" FOREIGN KEY ("card_id") REFERENCES "public"."cards"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_transactions" ADD CONSTRAINT "ledger_transactions_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_transactions" ADD CONSTRAINT "ledger_transactions_card_id_cards_id_fk" FOREIGN KEY ("card_id") REFERENCES "public"."cards"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_transactions" ADD CONSTRAINT "ledger_transactions_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_transactions" ADD CONSTRAINT "ledger_transactions_reverses_id_ledger_transactions_id_fk" FOREIGN KEY ("reverses_id") REFERENCES "public"."ledger_transactions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ledger_movements_transaction_idx" ON "ledger_movements" USING btree ("transaction_id");--> statement-breakpoint
CREATE INDEX "ledger_movements_card_created_idx" ON "ledger_movements" USING btree ("card_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_transactions_merchant_key_idx" ON "ledger_transactions" USING btree ("merchant_id","idempotency_key") WHERE "ledger_transactions"."idempotency_key" is not null;--> statement-breakpoint
CREATE INDEX "ledger_transactions_card_created_idx" ON "ledger_transactions" USING btree ("card_id","created_at","id");--> statement-breakpoint
CREATE INDEX "ledger_transactions_reverses_idx" ON "ledger_transactions" USING btree ("reverses_id") WHERE "ledger_transactions"."reverses_id" is not null;