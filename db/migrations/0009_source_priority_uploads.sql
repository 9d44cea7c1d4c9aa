-- Source priorities (issue 17): a system of record outranks the files its units upload. Existing upload
-- sources get the upload default, every other source the system-of-record default.
ALTER TABLE "data_sources" ADD COLUMN "priority" integer DEFAULT 100 NOT NULL;--> statement-breakpoint
UPDATE "data_sources" SET "priority" = 10 WHERE "kind" = 'upload';--> statement-breakpoint
-- Who sent an upload, and who approved it when approval is required.
ALTER TABLE "poll_runs" ADD COLUMN "submitted_by" integer;--> statement-breakpoint
ALTER TABLE "poll_runs" ADD COLUMN "approved_by" integer;--> statement-breakpoint
ALTER TABLE "poll_runs" ADD CONSTRAINT "poll_runs_submitted_by_users_id_fk" FOREIGN KEY ("submitted_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "poll_runs" ADD CONSTRAINT "poll_runs_approved_by_users_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
-- Uploads held for an administrator's approval ("chờ duyệt"): their rows are kept here, outside samples, until approved.
CREATE TABLE "pending_uploads" (
	"id" serial PRIMARY KEY NOT NULL,
	"source_id" integer NOT NULL,
	"submitted_by" integer,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"file_name" text,
	"window_from" date NOT NULL,
	"window_to" date NOT NULL,
	"rows" jsonb NOT NULL,
	"accepted" integer NOT NULL,
	"read" integer DEFAULT 0 NOT NULL,
	"rejections" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"reviewed_by" integer,
	"reviewed_at" timestamp with time zone,
	"poll_run_id" integer,
	CONSTRAINT "pending_uploads_status_check" CHECK ("pending_uploads"."status" in ('pending', 'approved', 'rejected'))
);
--> statement-breakpoint
ALTER TABLE "pending_uploads" ADD CONSTRAINT "pending_uploads_source_id_data_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."data_sources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pending_uploads" ADD CONSTRAINT "pending_uploads_submitted_by_users_id_fk" FOREIGN KEY ("submitted_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pending_uploads" ADD CONSTRAINT "pending_uploads_reviewed_by_users_id_fk" FOREIGN KEY ("reviewed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pending_uploads" ADD CONSTRAINT "pending_uploads_poll_run_id_poll_runs_id_fk" FOREIGN KEY ("poll_run_id") REFERENCES "public"."poll_runs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "pending_uploads_status_submitted_at_index" ON "pending_uploads" USING btree ("status","submitted_at");
