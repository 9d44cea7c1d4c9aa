CREATE TABLE "period_samples" (
	"unit_id" integer NOT NULL,
	"metric_id" smallint NOT NULL,
	"period_kind" text NOT NULL,
	"period_start" date NOT NULL,
	"source_id" integer NOT NULL,
	"value" double precision NOT NULL,
	"observed_at" timestamp with time zone NOT NULL,
	"ingested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"poll_run_id" integer,
	"first_seen_at" timestamp with time zone,
	CONSTRAINT "period_samples_unit_id_metric_id_period_kind_period_start_source_id_pk" PRIMARY KEY("unit_id","metric_id","period_kind","period_start","source_id"),
	CONSTRAINT "period_samples_period_kind_check" CHECK ("period_samples"."period_kind" in ('month', 'quarter', 'year'))
);
--> statement-breakpoint
ALTER TABLE "metrics" DROP CONSTRAINT "metrics_cadence_check";--> statement-breakpoint
ALTER TABLE "metrics" DROP CONSTRAINT "metrics_unit_check";--> statement-breakpoint
ALTER TABLE "indicator_schemes" ADD COLUMN "groups" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "indicator_schemes" ADD COLUMN "total_rule" text DEFAULT 'scaled' NOT NULL;--> statement-breakpoint
ALTER TABLE "indicator_schemes" ADD COLUMN "period_kinds" text[];--> statement-breakpoint
ALTER TABLE "indicators" ADD COLUMN "group_key" text;--> statement-breakpoint
ALTER TABLE "indicators" ADD COLUMN "zero_denominator" text DEFAULT 'none' NOT NULL;--> statement-breakpoint
ALTER TABLE "indicators" ADD COLUMN "published" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "metrics" ADD COLUMN "periodic" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "data_sources" ADD COLUMN "periods" text[];--> statement-breakpoint
ALTER TABLE "rankings" ADD COLUMN "groups" jsonb;--> statement-breakpoint
ALTER TABLE "rankings" ADD COLUMN "total_recomputed" double precision;--> statement-breakpoint
ALTER TABLE "rankings" ADD COLUMN "total_published" double precision;--> statement-breakpoint
CREATE INDEX "period_samples_period_kind_period_start_metric_id_index" ON "period_samples" USING btree ("period_kind","period_start","metric_id");--> statement-breakpoint
ALTER TABLE "indicator_schemes" ADD CONSTRAINT "indicator_schemes_total_rule_check" CHECK ("indicator_schemes"."total_rule" in ('scaled', 'sum'));--> statement-breakpoint
ALTER TABLE "indicators" ADD CONSTRAINT "indicators_zero_denominator_check" CHECK ("indicators"."zero_denominator" in ('none', 'zero', 'full'));--> statement-breakpoint
ALTER TABLE "metrics" ADD CONSTRAINT "metrics_cadence_check" CHECK ("metrics"."cadence" in ('day', 'month', 'quarter', 'year'));--> statement-breakpoint
ALTER TABLE "metrics" ADD CONSTRAINT "metrics_unit_check" CHECK ("metrics"."unit" in ('count', 'vnd', 'points'));--> statement-breakpoint
ALTER TABLE "data_sources" ADD CONSTRAINT "data_sources_periods_check" CHECK ("periods" <@ ARRAY['month', 'quarter', 'year']::text[]);--> statement-breakpoint
-- The key national_766 becomes the full index (100 points, from the portal); the progress group
-- computed from the city's own dossier counts keeps its boards under its own key.
UPDATE "indicator_schemes" SET "key" = 'national_766_progress' WHERE "key" = 'national_766';--> statement-breakpoint
UPDATE "rankings" SET "scheme_key" = 'national_766_progress' WHERE "scheme_key" = 'national_766';
