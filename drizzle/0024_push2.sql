ALTER TABLE "card_imports" ADD COLUMN "consenting" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "push_events" ADD COLUMN "google_in_doubt" integer DEFAULT 0 NOT NULL;