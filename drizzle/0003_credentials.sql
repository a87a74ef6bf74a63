CREATE TYPE "public"."credential_kind" AS ENUM('apple', 'apple_dev', 'google');--> statement-breakpoint
CREATE TABLE "merchant_credentials" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"merchant_id" uuid NOT NULL,
	"kind" "credential_kind" NOT NULL,
	"sealed" text NOT NULL,
	"pass_type_id" text,
	"team_id" text,
	"expires_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "merchant_credentials" ADD CONSTRAINT "merchant_credentials_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "merchant_credentials_merchant_kind_idx" ON "merchant_credentials" USING btree ("merchant_id","kind");