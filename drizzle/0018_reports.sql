CREATE TABLE "report_cards" (
	"card_id" uuid PRIMARY KEY NOT NULL,
	"merchant_id" uuid NOT NULL,
	"template_id" uuid NOT NULL,
	"source" text NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"status" text,
	"iphones" integer DEFAULT 0 NOT NULL,
	"watches" integer DEFAULT 0 NOT NULL,
	"androids" integer DEFAULT 0 NOT NULL,
	"ever_apple" boolean DEFAULT false NOT NULL,
	"ever_google" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "report_current" (
	"merchant_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"template_id" uuid NOT NULL,
	"key" text NOT NULL,
	"count" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "report_current_merchant_id_kind_template_id_key_pk" PRIMARY KEY("merchant_id","kind","template_id","key")
);
--> statement-breakpoint
CREATE TABLE "report_daily" (
	"merchant_id" uuid NOT NULL,
	"metric" text NOT NULL,
	"day" date NOT NULL,
	"template_id" uuid DEFAULT '00000000-0000-0000-0000-000000000000' NOT NULL,
	"location_id" uuid DEFAULT '00000000-0000-0000-0000-000000000000' NOT NULL,
	"source" text DEFAULT '' NOT NULL,
	"platform" text DEFAULT '' NOT NULL,
	"bucket" smallint DEFAULT 0 NOT NULL,
	"count" bigint DEFAULT 0 NOT NULL,
	"sum" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "report_daily_merchant_id_metric_day_template_id_location_id_source_platform_bucket_pk" PRIMARY KEY("merchant_id","metric","day","template_id","location_id","source","platform","bucket")
);
--> statement-breakpoint
CREATE TABLE "report_fold_state" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"folded_at" timestamp with time zone,
	"folded" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "report_inbox" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"event_id" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "report_members_hll" (
	"merchant_id" uuid NOT NULL,
	"span" smallint NOT NULL,
	"day" date NOT NULL,
	"idx" smallint NOT NULL,
	"rho" smallint NOT NULL,
	CONSTRAINT "report_members_hll_merchant_id_span_day_idx_pk" PRIMARY KEY("merchant_id","span","day","idx")
);
--> statement-breakpoint
ALTER TABLE "report_cards" ADD CONSTRAINT "report_cards_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_current" ADD CONSTRAINT "report_current_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_daily" ADD CONSTRAINT "report_daily_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_members_hll" ADD CONSTRAINT "report_members_hll_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "report_cards_merchant_idx" ON "report_cards" USING btree ("merchant_id");--> statement-breakpoint
INSERT INTO "report_fold_state" ("id") VALUES (1);--> statement-breakpoint
-- The events recorded before the reports existed are folded by the job like any new ones.
INSERT INTO "report_inbox" ("event_id") SELECT "id" FROM "card_events" ORDER BY "created_at";
