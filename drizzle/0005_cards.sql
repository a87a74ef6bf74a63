CREATE TYPE "public"."card_status" AS ENUM('issued', 'installed', 'removed', 'blocked', 'expired');--> statement-breakpoint
CREATE TABLE "cards" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"merchant_id" uuid NOT NULL,
	"template_id" uuid NOT NULL,
	"customer_id" uuid,
	"number" text NOT NULL,
	"serial_number" text NOT NULL,
	"authentication_token" text NOT NULL,
	"link_token" text NOT NULL,
	"status" "card_status" DEFAULT 'issued' NOT NULL,
	"balance" integer DEFAULT 0 NOT NULL,
	"discount" integer DEFAULT 0 NOT NULL,
	"custom" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"expires_at" timestamp with time zone,
	"update_tag" bigint DEFAULT (extract(epoch from now()) * 1000)::bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cards_serialNumber_unique" UNIQUE("serial_number"),
	CONSTRAINT "cards_linkToken_unique" UNIQUE("link_token")
);
--> statement-breakpoint
CREATE TABLE "customers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"merchant_id" uuid NOT NULL,
	"phone" text,
	"email" text,
	"name" text DEFAULT '' NOT NULL,
	"birthday" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "cards" ADD CONSTRAINT "cards_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cards" ADD CONSTRAINT "cards_template_id_card_templates_id_fk" FOREIGN KEY ("template_id") REFERENCES "public"."card_templates"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cards" ADD CONSTRAINT "cards_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customers" ADD CONSTRAINT "customers_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "cards_merchant_number_idx" ON "cards" USING btree ("merchant_id","number");--> statement-breakpoint
CREATE INDEX "cards_merchant_template_idx" ON "cards" USING btree ("merchant_id","template_id");--> statement-breakpoint
CREATE INDEX "cards_merchant_updated_idx" ON "cards" USING btree ("merchant_id","updated_at");--> statement-breakpoint
CREATE UNIQUE INDEX "customers_merchant_phone_idx" ON "customers" USING btree ("merchant_id","phone");--> statement-breakpoint
CREATE INDEX "customers_phone_idx" ON "customers" USING btree ("phone");