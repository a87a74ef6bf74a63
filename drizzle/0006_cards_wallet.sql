CREATE TYPE "public"."card_block_reason" AS ENUM('lost', 'deactivated');--> statement-breakpoint
CREATE TYPE "public"."card_event_type" AS ENUM('issued', 'updated', 'installed', 'removed', 'blocked', 'unblocked', 'deactivated', 'activated', 'moved', 'expiry_changed', 'expired', 'customer_changed', 'push_sent', 'push_failed');--> statement-breakpoint
CREATE TYPE "public"."wallet_platform" AS ENUM('apple', 'google');--> statement-breakpoint
CREATE TYPE "public"."card_import_status" AS ENUM('preview', 'queued', 'running', 'done', 'failed', 'cancelled');--> statement-breakpoint
CREATE TABLE "card_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"merchant_id" uuid NOT NULL,
	"card_id" uuid NOT NULL,
	"type" "card_event_type" NOT NULL,
	"actor_type" text NOT NULL,
	"actor_id" text,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "wallet_updates" (
	"card_id" uuid PRIMARY KEY NOT NULL,
	"merchant_id" uuid NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text
);
--> statement-breakpoint
CREATE TABLE "wallet_devices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"merchant_id" uuid NOT NULL,
	"platform" "wallet_platform" NOT NULL,
	"device_library_id" text NOT NULL,
	"pass_type_id" text NOT NULL,
	"push_token" text,
	"model" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "wallet_logs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"merchant_id" uuid NOT NULL,
	"message" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "wallet_registrations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"merchant_id" uuid NOT NULL,
	"device_id" uuid NOT NULL,
	"card_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "card_import_rows" (
	"import_id" uuid NOT NULL,
	"line" integer NOT NULL,
	"data" jsonb NOT NULL,
	CONSTRAINT "card_import_rows_import_id_line_pk" PRIMARY KEY("import_id","line")
);
--> statement-breakpoint
CREATE TABLE "card_imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"merchant_id" uuid NOT NULL,
	"template_id" uuid NOT NULL,
	"created_by" uuid,
	"file_name" text NOT NULL,
	"status" "card_import_status" DEFAULT 'preview' NOT NULL,
	"skip_existing" boolean DEFAULT true NOT NULL,
	"total" integer DEFAULT 0 NOT NULL,
	"valid" integer DEFAULT 0 NOT NULL,
	"processed" integer DEFAULT 0 NOT NULL,
	"issued" integer DEFAULT 0 NOT NULL,
	"skipped" integer DEFAULT 0 NOT NULL,
	"error_count" integer DEFAULT 0 NOT NULL,
	"errors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"warnings" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"failure" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "cards" ADD COLUMN "block_reason" "card_block_reason";--> statement-breakpoint
ALTER TABLE "cards" ADD COLUMN "first_installed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "card_events" ADD CONSTRAINT "card_events_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "card_events" ADD CONSTRAINT "card_events_card_id_cards_id_fk" FOREIGN KEY ("card_id") REFERENCES "public"."cards"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wallet_updates" ADD CONSTRAINT "wallet_updates_card_id_cards_id_fk" FOREIGN KEY ("card_id") REFERENCES "public"."cards"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wallet_updates" ADD CONSTRAINT "wallet_updates_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wallet_devices" ADD CONSTRAINT "wallet_devices_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wallet_logs" ADD CONSTRAINT "wallet_logs_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wallet_registrations" ADD CONSTRAINT "wallet_registrations_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wallet_registrations" ADD CONSTRAINT "wallet_registrations_device_id_wallet_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."wallet_devices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wallet_registrations" ADD CONSTRAINT "wallet_registrations_card_id_cards_id_fk" FOREIGN KEY ("card_id") REFERENCES "public"."cards"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "card_import_rows" ADD CONSTRAINT "card_import_rows_import_id_card_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."card_imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "card_imports" ADD CONSTRAINT "card_imports_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "card_imports" ADD CONSTRAINT "card_imports_template_id_card_templates_id_fk" FOREIGN KEY ("template_id") REFERENCES "public"."card_templates"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "card_imports" ADD CONSTRAINT "card_imports_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "card_events_card_created_idx" ON "card_events" USING btree ("card_id","created_at");--> statement-breakpoint
CREATE INDEX "card_events_merchant_created_idx" ON "card_events" USING btree ("merchant_id","created_at");--> statement-breakpoint
CREATE INDEX "wallet_updates_due_idx" ON "wallet_updates" USING btree ("due_at");--> statement-breakpoint
CREATE UNIQUE INDEX "wallet_devices_identity_idx" ON "wallet_devices" USING btree ("device_library_id","pass_type_id","merchant_id","platform");--> statement-breakpoint
CREATE INDEX "wallet_logs_merchant_created_idx" ON "wallet_logs" USING btree ("merchant_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "wallet_registrations_device_card_idx" ON "wallet_registrations" USING btree ("device_id","card_id");--> statement-breakpoint
CREATE INDEX "wallet_registrations_card_idx" ON "wallet_registrations" USING btree ("card_id");--> statement-breakpoint
CREATE INDEX "card_imports_merchant_created_idx" ON "card_imports" USING btree ("merchant_id","created_at");--> statement-breakpoint
CREATE INDEX "cards_merchant_status_idx" ON "cards" USING btree ("merchant_id","status");--> statement-breakpoint
CREATE INDEX "cards_customer_idx" ON "cards" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "cards_expiry_idx" ON "cards" USING btree ("expires_at") WHERE "cards"."expires_at" is not null and "cards"."status" <> 'expired';--> statement-breakpoint
-- Templates saved before card numbering existed get the default pattern (12 random digits and a check digit).
UPDATE "card_template_versions" SET "definition" = "definition" || '{"numbering":{"prefix":"","digits":12,"checkDigit":true}}'::jsonb WHERE NOT ("definition" ? 'numbering');
