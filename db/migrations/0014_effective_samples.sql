-- Overlap and priority (issue 12): per (unit, metric, day) only the value of the highest-priority
-- source that has one counts (equal priorities still add up; saving two enabled sources that
-- overlap at the same priority is refused, src/lib/server/admin/overlap.ts). Every read of values
-- goes through effective_samples; the raw-samples drill-down reads samples_by_priority to show the
-- values that do not count beside the one that does.
--
-- Cost: a sample of a source that no other source outranks (every sample of the demo's systems of
-- record) counts without a look-up — the list of outranked sources is read once per statement (an
-- InitPlan). Only a sample of an outranked source costs one probe of the samples primary key.
-- A plain view (no aggregate, no window): the planner flattens it, so a reader's filters on
-- metric_id and day still reach the (metric_id, day) index.
CREATE VIEW "samples_by_priority" AS
SELECT s."unit_id", s."metric_id", s."day", s."source_id", s."value", s."observed_at", s."ingested_at", s."poll_run_id", s."first_seen_at",
	(s."source_id" <> ALL ((SELECT coalesce(array_agg(lo."id"), '{}') FROM "data_sources" lo
	                        WHERE lo."priority" < (SELECT max(hi."priority") FROM "data_sources" hi))::int[])
	 OR NOT EXISTS (
		SELECT 1 FROM "samples" o JOIN "data_sources" od ON od."id" = o."source_id"
		WHERE o."unit_id" = s."unit_id" AND o."metric_id" = s."metric_id" AND o."day" = s."day"
		  AND od."priority" > (SELECT d."priority" FROM "data_sources" d WHERE d."id" = s."source_id"))) AS "counts"
FROM "samples" s;
--> statement-breakpoint
CREATE VIEW "effective_samples" AS
SELECT "unit_id", "metric_id", "day", "source_id", "value", "observed_at", "ingested_at", "poll_run_id", "first_seen_at"
FROM "samples_by_priority" WHERE "counts";
