/** `npm run db:migrate`: applies the committed migrations to DATABASE_URL (how a deployment upgrades). */
import { runMigrations } from '#db/migrate';
import { databaseUrl } from '#server/config';

await runMigrations(databaseUrl());
console.log('migrations applied');
