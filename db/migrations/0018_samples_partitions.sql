-- National scale (issue 15): `samples` partitioned by month, declaratively (PARTITION BY RANGE on
-- day), one partition a month named samples_yYYYYmMM, and a DEFAULT partition (samples_default) so
-- that no insert ever fails for want of a month. Written by hand: drizzle's schema cannot say it
-- (db/schema/samples.ts still describes the columns, the primary key and the (metric_id, day) index,
-- which the partitioned table keeps under the same names).
--
-- Months are created ahead by the workers' daily `sample-partitions` job and by every backfill for
-- its range (src/lib/server/partitions.ts, ensureSamplePartitions), which also moves the rows of a
-- month out of the default partition when it creates that month.
--
-- The rows move in one pass: the new table gets its partitions (every month holding a sample, and
-- this month and the three after it) but neither its primary key nor its index until they are
-- loaded, so each partition's indexes are built once, sorted, instead of row by row.
-- The views that read samples (0014, 0016) are dropped first and recreated as they were.
DROP VIEW "effective_samples";--> statement-breakpoint
DROP VIEW "samples_by_priority";--> statement-breakpoint
ALTER TABLE "samples" RENAME TO "samples_unpartitioned";--> statement-breakpoint
ALTER TABLE "samples_unpartitioned" RENAME CONSTRAINT "samples_unit_id_metric_id_day_source_id_pk" TO "samples_unpartitioned_pk";--> statement-breakpoint
ALTER INDEX "samples_metric_id_day_index" RENAME TO "samples_unpartitioned_metric_id_day_index";--> statement-breakpoint
CREATE TABLE "samples" (
	"unit_id" integer NOT NULL,
	"metric_id" smallint NOT NULL,
	"day" date NOT NULL,
	"source_id" integer NOT NULL,
	"value" double precision NOT NULL,
	"observed_at" timestamp with time zone NOT NULL,
	"ingested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"poll_run_id" integer,
	"first_seen_at" timestamp with time zone
) PARTITION BY RANGE ("day");--> statement-breakpoint
CREATE TABLE "samples_default" PARTITION OF "samples" DEFAULT;--> statement-breakpoint
DO $$
DECLARE
	m date;
BEGIN
	FOR m IN
		SELECT DISTINCT date_trunc('month', "day")::date FROM "samples_unpartitioned"
		UNION
		SELECT generate_series(date_trunc('month', current_date), date_trunc('month', current_date) + interval '3 months', interval '1 month')::date
	LOOP
		EXECUTE format('CREATE TABLE %I PARTITION OF "samples" FOR VALUES FROM (%L) TO (%L)',
			'samples_y' || to_char(m, 'YYYY') || 'm' || to_char(m, 'MM'), m, (m + interval '1 month')::date);
	END LOOP;
END $$;--> statement-breakpoint
INSERT INTO "samples" ("unit_id", "metric_id", "day", "source_id", "value", "observed_at", "ingested_at", "poll_run_id", "first_seen_at")
SELECT "unit_id", "metric_id", "day", "source_id", "value", "observed_at", "ingested_at", "poll_run_id", "first_seen_at" FROM "samples_unpartitioned";--> statement-breakpoint
DROP TABLE "samples_unpartitioned";--> statement-breakpoint
ALTER TABLE "samples" ADD CONSTRAINT "samples_unit_id_metric_id_day_source_id_pk" PRIMARY KEY("unit_id","metric_id","day","source_id");--> statement-breakpoint
CREATE INDEX "samples_metric_id_day_index" ON "samples" USING btree ("metric_id","day");--> statement-breakpoint
-- As 0014 defines it.
CREATE VIEW "samples_by_priority" AS
SELECT s."unit_id", s."metric_id", s."day", s."source_id", s."value", s."observed_at", s."ingested_at", s."poll_run_id", s."first_seen_at",
	(s."source_id" <> ALL ((SELECT coalesce(array_agg(lo."id"), '{}') FROM "data_sources" lo
	                        WHERE lo."priority" < (SELECT max(hi."priority") FROM "data_sources" hi))::int[])
	 OR NOT EXISTS (
		SELECT 1 FROM "samples" o JOIN "data_sources" od ON od."id" = o."source_id"
		WHERE o."unit_id" = s."unit_id" AND o."metric_id" = s."metric_id" AND o."day" = s."day"
		  AND od."priority" > (SELECT d."priority" FROM "data_sources" d WHERE d."id" = s."source_id"))) AS "counts"
FROM "samples" s;--> statement-breakpoint
-- As 0016 defines it.
CREATE VIEW "effective_samples" AS
SELECT p."unit_id", p."metric_id", p."day", p."source_id", p."value", p."observed_at", p."ingested_at", p."poll_run_id", p."first_seen_at"
FROM "samples_by_priority" p JOIN "units" u ON u."id" = p."unit_id"
WHERE p."counts"
  AND (u."valid_from" IS NULL OR p."day" >= u."valid_from")
  AND (u."valid_to" IS NULL OR p."day" <= u."valid_to");--> statement-breakpoint
ANALYZE "samples";
