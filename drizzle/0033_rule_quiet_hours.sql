ALTER TABLE "push_trigger_rules" ADD COLUMN "quiet_from" smallint;--> statement-breakpoint
ALTER TABLE "push_trigger_rules" ADD COLUMN "quiet_to" smallint;