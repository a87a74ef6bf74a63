ALTER TABLE "card_imports" ADD COLUMN "consenting" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "report_daily" ADD COLUMN "campaign_id" uuid DEFAULT '00000000-0000-0000-0000-000000000000' NOT NULL;--> statement-breakpoint
ALTER TABLE "report_daily" DROP CONSTRAINT "report_daily_merchant_id_metric_day_template_id_location_id_source_platform_bucket_pk";--> statement-breakpoint
ALTER TABLE "report_daily" ADD CONSTRAINT "report_daily_merchant_id_metric_day_template_id_location_id_source_platform_bucket_campaign_id_pk" PRIMARY KEY("merchant_id","metric","day","template_id","location_id","source","platform","bucket","campaign_id");--> statement-breakpoint
ALTER TABLE "push_events" ADD COLUMN "google_in_doubt" integer DEFAULT 0 NOT NULL;
