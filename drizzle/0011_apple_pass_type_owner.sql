-- A pass type id belongs to one merchant: where several already hold one, the earliest upload keeps it.
DELETE FROM "merchant_credentials" a USING "merchant_credentials" b
WHERE a."kind" = 'apple' AND b."kind" = 'apple' AND a."pass_type_id" = b."pass_type_id"
  AND (a."created_at", a."id") > (b."created_at", b."id");--> statement-breakpoint
CREATE UNIQUE INDEX "merchant_credentials_apple_pass_type_idx" ON "merchant_credentials" USING btree ("pass_type_id") WHERE "merchant_credentials"."kind" = 'apple';