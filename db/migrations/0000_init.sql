CREATE TABLE "unit_closure" (
	"ancestor_id" integer NOT NULL,
	"descendant_id" integer NOT NULL,
	"depth" integer NOT NULL,
	CONSTRAINT "unit_closure_ancestor_id_descendant_id_pk" PRIMARY KEY("ancestor_id","descendant_id")
);
--> statement-breakpoint
CREATE TABLE "units" (
	"id" serial PRIMARY KEY NOT NULL,
	"gso_code" text NOT NULL,
	"external_codes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"name" text NOT NULL,
	"level" text NOT NULL,
	"type" text NOT NULL,
	"parent_id" integer,
	"population" integer,
	"population_synthetic" boolean DEFAULT true NOT NULL,
	"valid_from" date,
	"valid_to" date,
	"merged_into_id" integer,
	CONSTRAINT "units_gsoCode_unique" UNIQUE("gso_code")
);
--> statement-breakpoint
CREATE TABLE "indicator_schemes" (
	"id" serial PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"version" integer NOT NULL,
	"name_vi" text NOT NULL,
	"name_en" text NOT NULL,
	"active" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "indicator_schemes_key_version_unique" UNIQUE("key","version")
);
--> statement-breakpoint
CREATE TABLE "indicators" (
	"id" serial PRIMARY KEY NOT NULL,
	"scheme_id" integer NOT NULL,
	"key" text NOT NULL,
	"name_vi" text NOT NULL,
	"name_en" text NOT NULL,
	"numerator" text[] NOT NULL,
	"denominator" text[] NOT NULL,
	"direction" text DEFAULT 'higher_is_better' NOT NULL,
	"max_points" double precision NOT NULL,
	"saturation" double precision DEFAULT 1 NOT NULL,
	"numerator_noun_vi" text NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "indicators_schemeId_key_unique" UNIQUE("scheme_id","key")
);
--> statement-breakpoint
CREATE TABLE "metrics" (
	"id" "smallserial" PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"family" text NOT NULL,
	"aggregation" text NOT NULL,
	"unit" text NOT NULL,
	"name_vi" text NOT NULL,
	"name_en" text NOT NULL,
	CONSTRAINT "metrics_key_unique" UNIQUE("key")
);
--> statement-breakpoint
CREATE TABLE "data_sources" (
	"id" serial PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"family" text NOT NULL,
	"kind" text NOT NULL,
	"url_template" text NOT NULL,
	"auth_kind" text DEFAULT 'none' NOT NULL,
	"credentials_sealed" text,
	"interval_seconds" integer DEFAULT 60 NOT NULL,
	"timeout_ms" integer DEFAULT 10000 NOT NULL,
	"stale_after_seconds" integer DEFAULT 900 NOT NULL,
	"trailing_days" integer DEFAULT 3 NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"scope_unit_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "data_sources_key_unique" UNIQUE("key")
);
--> statement-breakpoint
CREATE TABLE "poll_runs" (
	"id" serial PRIMARY KEY NOT NULL,
	"source_id" integer NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"duration_ms" integer,
	"outcome" text NOT NULL,
	"http_status" integer,
	"window_from" date NOT NULL,
	"window_to" date NOT NULL,
	"accepted" integer DEFAULT 0 NOT NULL,
	"rejected" integer DEFAULT 0 NOT NULL,
	"changed" integer DEFAULT 0 NOT NULL,
	"error" text,
	"rejections" jsonb,
	"raw_body" text
);
--> statement-breakpoint
CREATE TABLE "samples" (
	"unit_id" integer NOT NULL,
	"metric_id" smallint NOT NULL,
	"day" date NOT NULL,
	"source_id" integer NOT NULL,
	"value" double precision NOT NULL,
	"observed_at" timestamp with time zone NOT NULL,
	"ingested_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "samples_unit_id_metric_id_day_source_id_pk" PRIMARY KEY("unit_id","metric_id","day","source_id")
);
--> statement-breakpoint
CREATE TABLE "rankings" (
	"scope_unit_id" integer NOT NULL,
	"period_kind" text NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"unit_id" integer NOT NULL,
	"rank" integer,
	"previous_rank" integer,
	"total" double precision,
	"not_ranked_reason" text,
	"indicators" jsonb NOT NULL,
	"scheme_id" integer NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"as_of" timestamp with time zone,
	CONSTRAINT "rankings_scope_unit_id_period_kind_period_start_unit_id_pk" PRIMARY KEY("scope_unit_id","period_kind","period_start","unit_id")
);
--> statement-breakpoint
CREATE TABLE "app_meta" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "worker_heartbeats" (
	"id" text PRIMARY KEY NOT NULL,
	"pid" integer NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "unit_closure" ADD CONSTRAINT "unit_closure_ancestor_id_units_id_fk" FOREIGN KEY ("ancestor_id") REFERENCES "public"."units"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unit_closure" ADD CONSTRAINT "unit_closure_descendant_id_units_id_fk" FOREIGN KEY ("descendant_id") REFERENCES "public"."units"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "units" ADD CONSTRAINT "units_parent_id_units_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "units" ADD CONSTRAINT "units_merged_into_id_units_id_fk" FOREIGN KEY ("merged_into_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "indicators" ADD CONSTRAINT "indicators_scheme_id_indicator_schemes_id_fk" FOREIGN KEY ("scheme_id") REFERENCES "public"."indicator_schemes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "data_sources" ADD CONSTRAINT "data_sources_scope_unit_id_units_id_fk" FOREIGN KEY ("scope_unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "poll_runs" ADD CONSTRAINT "poll_runs_source_id_data_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."data_sources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rankings" ADD CONSTRAINT "rankings_scope_unit_id_units_id_fk" FOREIGN KEY ("scope_unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rankings" ADD CONSTRAINT "rankings_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "unit_closure_descendant_id_index" ON "unit_closure" USING btree ("descendant_id");--> statement-breakpoint
CREATE INDEX "units_parent_id_index" ON "units" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "poll_runs_source_id_started_at_index" ON "poll_runs" USING btree ("source_id","started_at");--> statement-breakpoint
CREATE INDEX "samples_day_metric_id_index" ON "samples" USING btree ("day","metric_id");