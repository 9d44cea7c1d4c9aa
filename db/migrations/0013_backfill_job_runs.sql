-- Issue 12 (history from the screens): a source's backfill runs as a pg-boss job (`backfill-source`),
-- one poll run per window; each names the job, so its progress and per-window results are read
-- while it runs (and a retried job skips the windows already stored).
ALTER TABLE "poll_runs" ADD COLUMN "job_id" uuid;--> statement-breakpoint
CREATE INDEX "poll_runs_job_id_index" ON "poll_runs" USING btree ("job_id") WHERE "poll_runs"."job_id" is not null;
