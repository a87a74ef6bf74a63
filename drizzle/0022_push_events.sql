CREATE TYPE "public"."push_event_state" AS ENUM('scheduled', 'running', 'finished');--> statement-breakpoint
CREATE TYPE "public"."push_event_type" AS ENUM('push', 'promotion', 'sms');--> statement-breakpoint
CREATE TYPE "public"."push_trigger_kind" AS ENUM('birthday', 'inactive', 'points_expiring', 'welcome', 'level_reached');--> statement-breakpoint
CREATE TABLE "push_event_recipients" (
	"event_id" uuid NOT NULL,
	"merchant_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"outbox_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "push_event_recipients_event_id_customer_id_pk" PRIMARY KEY("event_id","customer_id")
);
--> statement-breakpoint
CREATE TABLE "push_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"merchant_id" uuid NOT NULL,
	"created_by" uuid,
	"type" "push_event_type" NOT NULL,
	"state" "push_event_state" DEFAULT 'scheduled' NOT NULL,
	"name" text DEFAULT '' NOT NULL,
	"message" text DEFAULT '' NOT NULL,
	"design" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"audience" jsonb NOT NULL,
	"start_at" timestamp with time zone,
	"end_at" timestamp with time zone,
	"phase" text DEFAULT 'start' NOT NULL,
	"after_card_id" uuid,
	"total" integer DEFAULT 0 NOT NULL,
	"processed" integer DEFAULT 0 NOT NULL,
	"apple_pushed" integer DEFAULT 0 NOT NULL,
	"apple_accepted" integer DEFAULT 0 NOT NULL,
	"apple_failed" integer DEFAULT 0 NOT NULL,
	"apple_gone" integer DEFAULT 0 NOT NULL,
	"google_notified" integer DEFAULT 0 NOT NULL,
	"google_quiet" integer DEFAULT 0 NOT NULL,
	"google_failed" integer DEFAULT 0 NOT NULL,
	"sms_delivered" integer DEFAULT 0 NOT NULL,
	"sms_failed" integer DEFAULT 0 NOT NULL,
	"sms_cost" integer DEFAULT 0 NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"deleted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "push_settings" (
	"merchant_id" uuid PRIMARY KEY NOT NULL,
	"quiet_from" smallint,
	"quiet_to" smallint,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "push_trigger_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"merchant_id" uuid NOT NULL,
	"kind" "push_trigger_kind" NOT NULL,
	"channel" text DEFAULT 'push' NOT NULL,
	"message" text NOT NULL,
	"days" integer DEFAULT 0 NOT NULL,
	"hour" smallint DEFAULT 10 NOT NULL,
	"limit_per_card" integer DEFAULT 1 NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"sent" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "push_trigger_sends" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"merchant_id" uuid NOT NULL,
	"rule_id" uuid NOT NULL,
	"card_id" uuid NOT NULL,
	"occasion" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"due_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	"reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "cards" ADD COLUMN "news" text;--> statement-breakpoint
ALTER TABLE "cards" ADD COLUMN "promotion_id" uuid;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "marketing_consent" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "marketing_consent_text" text;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "marketing_consent_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "wallet_updates" ADD COLUMN "campaign_id" uuid;--> statement-breakpoint
ALTER TABLE "push_event_recipients" ADD CONSTRAINT "push_event_recipients_event_id_push_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."push_events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "push_event_recipients" ADD CONSTRAINT "push_event_recipients_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "push_events" ADD CONSTRAINT "push_events_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "push_events" ADD CONSTRAINT "push_events_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "push_settings" ADD CONSTRAINT "push_settings_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "push_trigger_rules" ADD CONSTRAINT "push_trigger_rules_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "push_trigger_sends" ADD CONSTRAINT "push_trigger_sends_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "push_trigger_sends" ADD CONSTRAINT "push_trigger_sends_rule_id_push_trigger_rules_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."push_trigger_rules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "push_events_merchant_created_idx" ON "push_events" USING btree ("merchant_id","created_at");--> statement-breakpoint
CREATE INDEX "push_events_active_idx" ON "push_events" USING btree ("state","start_at") WHERE "push_events"."state" <> 'finished';--> statement-breakpoint
CREATE INDEX "push_trigger_rules_merchant_idx" ON "push_trigger_rules" USING btree ("merchant_id","kind");--> statement-breakpoint
CREATE UNIQUE INDEX "push_trigger_sends_occasion_idx" ON "push_trigger_sends" USING btree ("rule_id","card_id","occasion");--> statement-breakpoint
CREATE INDEX "push_trigger_sends_due_idx" ON "push_trigger_sends" USING btree ("due_at") WHERE "push_trigger_sends"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "cards_promotion_idx" ON "cards" USING btree ("promotion_id") WHERE "cards"."promotion_id" is not null;