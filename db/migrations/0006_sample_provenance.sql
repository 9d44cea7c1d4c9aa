ALTER TABLE "samples" ADD COLUMN "poll_run_id" integer;--> statement-breakpoint
ALTER TABLE "samples" ADD COLUMN "first_seen_at" timestamp with time zone;