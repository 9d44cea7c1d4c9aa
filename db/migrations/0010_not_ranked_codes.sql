-- Why a unit is not ranked: a code (and the indicators with no data) instead of English text, so every
-- screen words it in its reader's language and the API and the exports in Vietnamese (issue 11).
-- The two texts ever written were "no data for <key>, <key>…" and "nothing to score in this period".
ALTER TABLE "rankings" ADD COLUMN "not_ranked_indicators" jsonb;--> statement-breakpoint
UPDATE "rankings" SET
  "not_ranked_indicators" = to_jsonb(string_to_array(substr("not_ranked_reason", length('no data for ') + 1), ', ')),
  "not_ranked_reason" = 'no_data'
WHERE "not_ranked_reason" LIKE 'no data for %';--> statement-breakpoint
UPDATE "rankings" SET "not_ranked_reason" = 'nothing_to_score' WHERE "not_ranked_reason" = 'nothing to score in this period';--> statement-breakpoint
-- Any other text (none is known): no data, for the indicators the row has no figures for.
UPDATE "rankings" r SET
  "not_ranked_reason" = 'no_data',
  "not_ranked_indicators" = coalesce(
    (SELECT jsonb_agg(e.key ORDER BY e.key) FROM jsonb_each(r."indicators") e
     WHERE e.value->'numerator' = 'null'::jsonb OR e.value->'denominator' = 'null'::jsonb), '[]'::jsonb)
WHERE "not_ranked_reason" NOT IN ('no_data', 'nothing_to_score');--> statement-breakpoint
ALTER TABLE "rankings" ADD CONSTRAINT "rankings_not_ranked_reason_check" CHECK ("rankings"."not_ranked_reason" in ('no_data', 'nothing_to_score'));
