ALTER TABLE "cards" ADD COLUMN "level_floor" bigint;--> statement-breakpoint
ALTER TABLE "registration_sources" ADD COLUMN "level_floor" bigint;