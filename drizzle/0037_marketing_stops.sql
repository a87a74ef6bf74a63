CREATE TABLE "marketing_stops" (
	"merchant_id" uuid NOT NULL,
	"phone_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "marketing_stops_merchant_id_phone_hash_pk" PRIMARY KEY("merchant_id","phone_hash")
);
--> statement-breakpoint
ALTER TABLE "marketing_stops" ADD CONSTRAINT "marketing_stops_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;