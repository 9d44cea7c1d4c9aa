-- Enumerated states are refused by the database when they are not one of the values the code knows
-- (the same `as const` arrays type the columns: db/schema/*.ts, src/lib/domain/{catalogue,periods}.ts).
-- Every value the seed, the pipeline and the admin screens write is in these lists; a row that is
-- not makes this migration fail and name its constraint. Each is named <table>_<column>_check.
-- A new value (a period kind, a metric family, a source kind …) is a migration that widens its check.
ALTER TABLE "indicators" ADD CONSTRAINT "indicators_family_check" CHECK ("indicators"."family" in ('dossier', 'eid', 'payment', 'task'));--> statement-breakpoint
ALTER TABLE "indicators" ADD CONSTRAINT "indicators_direction_check" CHECK ("indicators"."direction" in ('higher_is_better', 'lower_is_better'));--> statement-breakpoint
ALTER TABLE "metrics" ADD CONSTRAINT "metrics_family_check" CHECK ("metrics"."family" in ('dossier', 'eid', 'payment', 'task'));--> statement-breakpoint
ALTER TABLE "metrics" ADD CONSTRAINT "metrics_aggregation_check" CHECK ("metrics"."aggregation" in ('flow', 'stock'));--> statement-breakpoint
ALTER TABLE "metrics" ADD CONSTRAINT "metrics_cadence_check" CHECK ("metrics"."cadence" in ('day', 'month'));--> statement-breakpoint
ALTER TABLE "metrics" ADD CONSTRAINT "metrics_unit_check" CHECK ("metrics"."unit" in ('count', 'vnd'));--> statement-breakpoint
ALTER TABLE "data_sources" ADD CONSTRAINT "data_sources_family_check" CHECK ("data_sources"."family" in ('dossier', 'eid', 'payment', 'task'));--> statement-breakpoint
ALTER TABLE "data_sources" ADD CONSTRAINT "data_sources_kind_check" CHECK ("data_sources"."kind" in ('json_http', 'csv_http', 'upload'));--> statement-breakpoint
ALTER TABLE "data_sources" ADD CONSTRAINT "data_sources_produces_check" CHECK ("data_sources"."produces" in ('samples', 'tasks'));--> statement-breakpoint
ALTER TABLE "data_sources" ADD CONSTRAINT "data_sources_granularity_check" CHECK ("data_sources"."granularity" in ('day', 'month'));--> statement-breakpoint
ALTER TABLE "data_sources" ADD CONSTRAINT "data_sources_auth_kind_check" CHECK ("data_sources"."auth_kind" in ('none', 'api_key', 'basic', 'bearer'));--> statement-breakpoint
ALTER TABLE "poll_runs" ADD CONSTRAINT "poll_runs_outcome_check" CHECK ("poll_runs"."outcome" in ('success', 'partial', 'failed'));--> statement-breakpoint
ALTER TABLE "poll_runs" ADD CONSTRAINT "poll_runs_trigger_check" CHECK ("poll_runs"."trigger" in ('schedule', 'manual', 'upload', 'gap', 'backfill'));--> statement-breakpoint
ALTER TABLE "source_health" ADD CONSTRAINT "source_health_last_outcome_check" CHECK ("source_health"."last_outcome" in ('success', 'partial', 'failed'));--> statement-breakpoint
ALTER TABLE "source_health" ADD CONSTRAINT "source_health_breaker_state_check" CHECK ("source_health"."breaker_state" in ('closed', 'open'));--> statement-breakpoint
ALTER TABLE "rankings" ADD CONSTRAINT "rankings_period_kind_check" CHECK ("rankings"."period_kind" in ('day', 'week', 'month', 'quarter', 'year', 'report_month', 'report_quarter', 'report_year'));--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_role_check" CHECK ("users"."role" in ('leader', 'officer', 'admin'));
