ALTER TABLE "units" ADD COLUMN "tile_col" smallint;--> statement-breakpoint
ALTER TABLE "units" ADD COLUMN "tile_row" smallint;