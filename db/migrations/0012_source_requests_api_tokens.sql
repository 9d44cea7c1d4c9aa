-- Issue 12 (the source engine): how a source is asked (method, headers, body, pagination), the code
-- system its unit codes are in, how its numbers are written; and API tokens for provisioning as code.
CREATE TABLE "api_tokens" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"revoked_by" integer,
	CONSTRAINT "api_tokens_tokenHash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
ALTER TABLE "data_sources" ADD COLUMN "request" jsonb DEFAULT '{"method":"GET","headers":{},"body":null,"bodyType":"json","pagination":{"kind":"none"}}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "data_sources" ADD COLUMN "code_system" text DEFAULT 'gso' NOT NULL;--> statement-breakpoint
ALTER TABLE "data_sources" ADD COLUMN "number_locale" text;--> statement-breakpoint
ALTER TABLE "poll_runs" ADD COLUMN "error_stage" text;--> statement-breakpoint
ALTER TABLE "source_health" ADD COLUMN "last_error_stage" text;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_revoked_by_users_id_fk" FOREIGN KEY ("revoked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "data_sources" ADD CONSTRAINT "data_sources_number_locale_check" CHECK ("data_sources"."number_locale" in ('vi', 'en'));--> statement-breakpoint
ALTER TABLE "poll_runs" ADD CONSTRAINT "poll_runs_error_stage_check" CHECK ("poll_runs"."error_stage" in ('connection', 'http', 'parse', 'mapping', 'config'));--> statement-breakpoint
ALTER TABLE "source_health" ADD CONSTRAINT "source_health_last_error_stage_check" CHECK ("source_health"."last_error_stage" in ('connection', 'http', 'parse', 'mapping', 'config'));