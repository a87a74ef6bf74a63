ALTER TABLE "customers" ADD COLUMN "erased_phone_hash" text;--> statement-breakpoint
CREATE INDEX "customers_merchant_erased_phone_idx" ON "customers" USING btree ("merchant_id","erased_phone_hash");