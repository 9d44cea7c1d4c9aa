-- Việt Nam since 1 July 2025 (issue 14): a code names one unit on a day, not forever (a new commune
-- keeps the code of one commune it absorbed), so the code is unique among the units in force only;
-- the lineage of reforms (which unit went into which, whole or in part) and the rollup it implies;
-- a board row says when part of its figures is an estimate.
ALTER TABLE "units" DROP CONSTRAINT "units_gsoCode_unique";--> statement-breakpoint
CREATE UNIQUE INDEX "units_gso_code_current" ON "units" USING btree ("gso_code") WHERE valid_to is null;--> statement-breakpoint
CREATE UNIQUE INDEX "units_gso_code_until" ON "units" USING btree ("gso_code","valid_to");--> statement-breakpoint
CREATE TABLE "unit_lineage" (
	"predecessor_id" integer NOT NULL,
	"successor_id" integer NOT NULL,
	"note" text NOT NULL,
	"share" double precision NOT NULL,
	"estimated" boolean NOT NULL,
	CONSTRAINT "unit_lineage_predecessor_id_successor_id_pk" PRIMARY KEY("predecessor_id","successor_id")
);--> statement-breakpoint
CREATE TABLE "unit_rollup" (
	"ancestor_id" integer NOT NULL,
	"descendant_id" integer NOT NULL,
	"share" double precision NOT NULL,
	"estimated" boolean NOT NULL,
	CONSTRAINT "unit_rollup_ancestor_id_descendant_id_pk" PRIMARY KEY("ancestor_id","descendant_id")
);--> statement-breakpoint
ALTER TABLE "unit_lineage" ADD CONSTRAINT "unit_lineage_predecessor_id_units_id_fk" FOREIGN KEY ("predecessor_id") REFERENCES "public"."units"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unit_lineage" ADD CONSTRAINT "unit_lineage_successor_id_units_id_fk" FOREIGN KEY ("successor_id") REFERENCES "public"."units"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unit_rollup" ADD CONSTRAINT "unit_rollup_ancestor_id_units_id_fk" FOREIGN KEY ("ancestor_id") REFERENCES "public"."units"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unit_rollup" ADD CONSTRAINT "unit_rollup_descendant_id_units_id_fk" FOREIGN KEY ("descendant_id") REFERENCES "public"."units"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "unit_lineage_successor_id_index" ON "unit_lineage" USING btree ("successor_id");--> statement-breakpoint
CREATE INDEX "unit_rollup_descendant_id_index" ON "unit_rollup" USING btree ("descendant_id");--> statement-breakpoint
ALTER TABLE "rankings" ADD COLUMN "estimated" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- The legacy import's merges (merged_into): the absorbing unit carries the merged one's figures, whole.
INSERT INTO "unit_lineage" ("predecessor_id", "successor_id", "note", "share", "estimated")
SELECT "id", "merged_into_id", 'Nhập toàn bộ', 1, false FROM "units" WHERE "merged_into_id" IS NOT NULL;--> statement-breakpoint
INSERT INTO "unit_rollup" ("ancestor_id", "descendant_id", "share", "estimated")
SELECT "ancestor_id", "descendant_id", 1, false FROM "unit_closure";--> statement-breakpoint
INSERT INTO "unit_rollup" ("ancestor_id", "descendant_id", "share", "estimated")
SELECT c."ancestor_id", l."predecessor_id", 1, false
FROM "unit_lineage" l JOIN "unit_closure" c ON c."descendant_id" = l."successor_id"
ON CONFLICT DO NOTHING;--> statement-breakpoint
-- A sample counts only on the days its unit is in force (an old commune's figures after the reform,
-- kept from an installation upgraded in place, no longer count anywhere; they stay in samples).
DROP VIEW "effective_samples";--> statement-breakpoint
CREATE VIEW "effective_samples" AS
SELECT p."unit_id", p."metric_id", p."day", p."source_id", p."value", p."observed_at", p."ingested_at", p."poll_run_id", p."first_seen_at"
FROM "samples_by_priority" p JOIN "units" u ON u."id" = p."unit_id"
WHERE p."counts"
  AND (u."valid_from" IS NULL OR p."day" >= u."valid_from")
  AND (u."valid_to" IS NULL OR p."day" <= u."valid_to");
