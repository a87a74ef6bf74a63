CREATE TYPE "public"."staff_phone_code_purpose" AS ENUM('verify', 'reset');--> statement-breakpoint
CREATE TYPE "public"."finance_entry_kind" AS ENUM('topup', 'charge');--> statement-breakpoint
CREATE TABLE "staff_phone_codes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"merchant_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"purpose" "staff_phone_code_purpose" NOT NULL,
	"phone" text NOT NULL,
	"code_hash" text NOT NULL,
	"tries_left" integer NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "finance_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"merchant_id" uuid NOT NULL,
	"kind" "finance_entry_kind" NOT NULL,
	"amount_minor" integer NOT NULL,
	"currency" text NOT NULL,
	"note" text,
	"document" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "finance_entries_amount_positive" CHECK ("finance_entries"."amount_minor" > 0)
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "phone" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "phone_verified_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "staff_phone_codes" ADD CONSTRAINT "staff_phone_codes_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_phone_codes" ADD CONSTRAINT "staff_phone_codes_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "finance_entries" ADD CONSTRAINT "finance_entries_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "staff_phone_codes_user_idx" ON "staff_phone_codes" USING btree ("user_id","purpose","created_at");--> statement-breakpoint
CREATE INDEX "staff_phone_codes_merchant_idx" ON "staff_phone_codes" USING btree ("merchant_id");--> statement-breakpoint
CREATE INDEX "finance_entries_merchant_created_idx" ON "finance_entries" USING btree ("merchant_id","created_at");