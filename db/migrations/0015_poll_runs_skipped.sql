-- Rows of known units outside a polled source's scope are skipped and counted, not rejected (a province's system
-- connected for one district answers for every commune; its genuine rejections must not drown among them).
ALTER TABLE "poll_runs" ADD COLUMN "skipped" integer DEFAULT 0 NOT NULL;