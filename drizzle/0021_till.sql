CREATE TABLE "card_stock_ranges" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"merchant_id" uuid NOT NULL,
	"template_id" uuid NOT NULL,
	"prefix" text DEFAULT '' NOT NULL,
	"from_number" bigint NOT NULL,
	"to_number" bigint NOT NULL,
	"digits" integer NOT NULL,
	"balance" integer DEFAULT 0 NOT NULL,
	"discount" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "till_codes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"merchant_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"card_id" uuid,
	"till_id" uuid,
	"phone" text,
	"channel" text NOT NULL,
	"code_hash" text,
	"tries_left" integer NOT NULL,
	"request" jsonb,
	"status" text DEFAULT 'pending' NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "till_settings" (
	"merchant_id" uuid PRIMARY KEY NOT NULL,
	"redeem_per_card_per_day" integer,
	"redeem_per_till_per_hour" integer,
	"phone_without_pin" boolean DEFAULT true NOT NULL,
	"confirm_channel" text DEFAULT 'sms' NOT NULL,
	"issue_template_id" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tills" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"merchant_id" uuid NOT NULL,
	"name" text NOT NULL,
	"location_id" uuid,
	"api_key_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "ledger_transactions" ADD COLUMN "till_id" uuid;--> statement-breakpoint
ALTER TABLE "card_stock_ranges" ADD CONSTRAINT "card_stock_ranges_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "card_stock_ranges" ADD CONSTRAINT "card_stock_ranges_template_id_card_templates_id_fk" FOREIGN KEY ("template_id") REFERENCES "public"."card_templates"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "till_codes" ADD CONSTRAINT "till_codes_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "till_codes" ADD CONSTRAINT "till_codes_card_id_cards_id_fk" FOREIGN KEY ("card_id") REFERENCES "public"."cards"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "till_codes" ADD CONSTRAINT "till_codes_till_id_tills_id_fk" FOREIGN KEY ("till_id") REFERENCES "public"."tills"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "till_settings" ADD CONSTRAINT "till_settings_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "till_settings" ADD CONSTRAINT "till_settings_issue_template_id_card_templates_id_fk" FOREIGN KEY ("issue_template_id") REFERENCES "public"."card_templates"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tills" ADD CONSTRAINT "tills_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tills" ADD CONSTRAINT "tills_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tills" ADD CONSTRAINT "tills_api_key_id_api_keys_id_fk" FOREIGN KEY ("api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "card_stock_ranges_merchant_idx" ON "card_stock_ranges" USING btree ("merchant_id","prefix");--> statement-breakpoint
CREATE INDEX "till_codes_merchant_idx" ON "till_codes" USING btree ("merchant_id","created_at");--> statement-breakpoint
CREATE INDEX "till_codes_pending_expiry_idx" ON "till_codes" USING btree ("expires_at") WHERE "till_codes"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "tills_merchant_idx" ON "tills" USING btree ("merchant_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "tills_api_key_idx" ON "tills" USING btree ("api_key_id");--> statement-breakpoint
ALTER TABLE "ledger_transactions" ADD CONSTRAINT "ledger_transactions_till_id_tills_id_fk" FOREIGN KEY ("till_id") REFERENCES "public"."tills"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ledger_transactions_till_created_idx" ON "ledger_transactions" USING btree ("till_id","created_at") WHERE "ledger_transactions"."till_id" is not null;--> statement-breakpoint
CREATE INDEX "ledger_transactions_staff_created_idx" ON "ledger_transactions" USING btree ("actor_id","created_at") WHERE "ledger_transactions"."actor_type" = 'staff';