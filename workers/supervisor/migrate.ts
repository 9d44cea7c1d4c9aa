/** `npm run db:migrate`: applies the committed migrations to DATABASE_URL (how a deployment upgrades). */
import { runMigrations } from '#db/migrate';
import { databaseUrl } from '#server/config';
import { logger } from '#server/log';

await runMigrations(databaseUrl());
logger('migrate').info('migrations applied');
