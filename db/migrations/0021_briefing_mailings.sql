CREATE TABLE "briefing_mailings" (
	"id" serial PRIMARY KEY NOT NULL,
	"schedule_id" integer NOT NULL,
	"period_kind" text NOT NULL,
	"period_start" date NOT NULL,
	"recipient_key" text NOT NULL,
	"user_id" integer,
	"email" text,
	"manual" boolean DEFAULT false NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"pdf_bytes" integer,
	"sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "briefing_mailings_period_kind_check" CHECK ("briefing_mailings"."period_kind" in ('day', 'week', 'month', 'quarter', 'year', 'report_month', 'report_quarter', 'report_year')),
	CONSTRAINT "briefing_mailings_status_check" CHECK ("briefing_mailings"."status" in ('queued', 'sent', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "briefing_schedules" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"scope_unit_id" integer NOT NULL,
	"period_kind" text DEFAULT 'report_month' NOT NULL,
	"day_of_month" integer NOT NULL,
	"send_at" text NOT NULL,
	"locale" text DEFAULT 'vi' NOT NULL,
	"recipient_user_ids" integer[] DEFAULT '{}' NOT NULL,
	"recipient_emails" text[] DEFAULT '{}' NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"owner_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "briefing_schedules_period_kind_check" CHECK ("briefing_schedules"."period_kind" in ('day', 'week', 'month', 'quarter', 'year', 'report_month', 'report_quarter', 'report_year')),
	CONSTRAINT "briefing_schedules_locale_check" CHECK ("briefing_schedules"."locale" in ('vi', 'en')),
	CONSTRAINT "briefing_schedules_day_range" CHECK ("briefing_schedules"."day_of_month" between 1 and 28),
	CONSTRAINT "briefing_schedules_send_at_time" CHECK ("briefing_schedules"."send_at" ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$')
);
--> statement-breakpoint
ALTER TABLE "briefing_mailings" ADD CONSTRAINT "briefing_mailings_schedule_id_briefing_schedules_id_fk" FOREIGN KEY ("schedule_id") REFERENCES "public"."briefing_schedules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "briefing_mailings" ADD CONSTRAINT "briefing_mailings_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "briefing_schedules" ADD CONSTRAINT "briefing_schedules_scope_unit_id_units_id_fk" FOREIGN KEY ("scope_unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "briefing_schedules" ADD CONSTRAINT "briefing_schedules_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "briefing_mailings_once" ON "briefing_mailings" USING btree ("schedule_id","period_kind","period_start","recipient_key") WHERE not "briefing_mailings"."manual";--> statement-breakpoint
CREATE INDEX "briefing_mailings_schedule_id_created_at_index" ON "briefing_mailings" USING btree ("schedule_id","created_at");