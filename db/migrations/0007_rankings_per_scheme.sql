-- Boards per scheme. drizzle-kit generated these three statements with the column last; the column
-- comes first here so the new key can name it. Existing rows are the operations scheme's (the default).
ALTER TABLE "rankings" ADD COLUMN "scheme_key" text DEFAULT 'operations' NOT NULL;--> statement-breakpoint
ALTER TABLE "rankings" DROP CONSTRAINT "rankings_scope_unit_id_period_kind_period_start_unit_id_pk";--> statement-breakpoint
ALTER TABLE "rankings" ADD CONSTRAINT "rankings_board_unit_pk" PRIMARY KEY("scope_unit_id","period_kind","period_start","scheme_key","unit_id");
