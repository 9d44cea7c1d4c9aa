CREATE TABLE "source_health" (
	"source_id" integer PRIMARY KEY NOT NULL,
	"last_poll_at" timestamp with time zone,
	"last_success_at" timestamp with time zone,
	"covered_through" date,
	"last_outcome" text,
	"last_error" text,
	"consecutive_failures" integer DEFAULT 0 NOT NULL,
	"breaker_state" text DEFAULT 'closed' NOT NULL,
	"breaker_retry_at" timestamp with time zone,
	"polls_success" integer DEFAULT 0 NOT NULL,
	"polls_partial" integer DEFAULT 0 NOT NULL,
	"polls_failed" integer DEFAULT 0 NOT NULL,
	"polls_skipped" integer DEFAULT 0 NOT NULL,
	"samples_accepted" bigint DEFAULT 0 NOT NULL,
	"rows_rejected" bigint DEFAULT 0 NOT NULL,
	"poll_duration_ms_sum" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
DROP INDEX "samples_day_metric_id_index";--> statement-breakpoint
ALTER TABLE "data_sources" ALTER COLUMN "url_template" SET DEFAULT '';--> statement-breakpoint
ALTER TABLE "indicators" ADD COLUMN "family" text;--> statement-breakpoint
UPDATE "indicators" SET "family" = split_part("key", '.', 1);--> statement-breakpoint
ALTER TABLE "indicators" ALTER COLUMN "family" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "metrics" ADD COLUMN "cadence" text DEFAULT 'day' NOT NULL;--> statement-breakpoint
ALTER TABLE "metrics" ADD COLUMN "part_of" text;--> statement-breakpoint
ALTER TABLE "data_sources" ADD COLUMN "produces" text DEFAULT 'samples' NOT NULL;--> statement-breakpoint
ALTER TABLE "data_sources" ADD COLUMN "mapping" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "data_sources" ALTER COLUMN "mapping" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "data_sources" ADD COLUMN "granularity" text DEFAULT 'day' NOT NULL;--> statement-breakpoint
ALTER TABLE "data_sources" ADD COLUMN "daily_deadline" text;--> statement-breakpoint
ALTER TABLE "poll_runs" ADD COLUMN "trigger" text DEFAULT 'schedule' NOT NULL;--> statement-breakpoint
ALTER TABLE "poll_runs" ADD COLUMN "attempts" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "source_health" ADD CONSTRAINT "source_health_source_id_data_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."data_sources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "samples_metric_id_day_index" ON "samples" USING btree ("metric_id","day");--> statement-breakpoint
-- A database seeded before this migration has one source in the old adapter form: run the seed
-- again (every step of it is an upsert by key), which rewrites that source as a mapping and adds the other three.
DELETE FROM "app_meta" WHERE "key" = 'seeded_at';
