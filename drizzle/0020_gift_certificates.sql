CREATE TYPE "public"."certificate_code_status" AS ENUM('free', 'issued', 'redeemed');--> statement-breakpoint
CREATE TABLE "certificate_codes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"merchant_id" uuid NOT NULL,
	"definition_id" uuid NOT NULL,
	"code" text NOT NULL,
	"status" "certificate_code_status" DEFAULT 'free' NOT NULL,
	"card_id" uuid,
	"message" text,
	"issued_at" timestamp with time zone,
	"opened_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "certificate_definitions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"merchant_id" uuid NOT NULL,
	"template_id" uuid NOT NULL,
	"name" text NOT NULL,
	"nominal" integer,
	"product" jsonb,
	"location_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"presentation" jsonb NOT NULL,
	"terms" jsonb NOT NULL,
	"valid_until" date,
	"valid_days" integer,
	"partial_redemption" boolean DEFAULT true NOT NULL,
	"low_pool_threshold" integer DEFAULT 0 NOT NULL,
	"sms_template" text,
	"low_pool_notified_at" timestamp with time zone,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "card_imports" ADD COLUMN "certificate_definition_id" uuid;--> statement-breakpoint
ALTER TABLE "card_imports" ADD COLUMN "content_hash" text;--> statement-breakpoint
ALTER TABLE "certificate_codes" ADD CONSTRAINT "certificate_codes_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificate_codes" ADD CONSTRAINT "certificate_codes_definition_id_certificate_definitions_id_fk" FOREIGN KEY ("definition_id") REFERENCES "public"."certificate_definitions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificate_codes" ADD CONSTRAINT "certificate_codes_card_id_cards_id_fk" FOREIGN KEY ("card_id") REFERENCES "public"."cards"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificate_definitions" ADD CONSTRAINT "certificate_definitions_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificate_definitions" ADD CONSTRAINT "certificate_definitions_template_id_card_templates_id_fk" FOREIGN KEY ("template_id") REFERENCES "public"."card_templates"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "certificate_codes_merchant_code_idx" ON "certificate_codes" USING btree ("merchant_id","code");--> statement-breakpoint
CREATE UNIQUE INDEX "certificate_codes_card_idx" ON "certificate_codes" USING btree ("card_id") WHERE "certificate_codes"."card_id" is not null;--> statement-breakpoint
CREATE INDEX "certificate_codes_definition_status_idx" ON "certificate_codes" USING btree ("definition_id","status","created_at");--> statement-breakpoint
CREATE INDEX "certificate_definitions_merchant_idx" ON "certificate_definitions" USING btree ("merchant_id","created_at");--> statement-breakpoint
ALTER TABLE "card_imports" ADD CONSTRAINT "card_imports_certificate_definition_id_certificate_definitions_id_fk" FOREIGN KEY ("certificate_definition_id") REFERENCES "public"."certificate_definitions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "card_imports_certificate_file_idx" ON "card_imports" USING btree ("certificate_definition_id","content_hash") WHERE "card_imports"."certificate_definition_id" is not null and "card_imports"."status" in ('queued', 'running', 'done');