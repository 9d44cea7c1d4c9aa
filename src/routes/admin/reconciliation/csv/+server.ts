import { error } from '@sveltejs/kit';
import { sql } from '#server/db';
import { NotFoundError } from '#server/boards';
import { fileResponse } from '#server/exports';
import { readReconciliation, reconciliationFileName, reconciliationTable } from '#server/reconciliation';
import { reportQuery } from '../query';
import type { RequestHandler } from './$types';

/** GET /admin/reconciliation/csv?period=month|quarter|year&date=YYYY-MM-DD: every unit × group of the period, one row each. */
export const GET: RequestHandler = async ({ url }) => {
  const db = await sql();
  const query = await reportQuery(db, url);
  try {
    const report = await readReconciliation(db, query);
    return (await fileResponse('csv', reconciliationTable(report), reconciliationFileName(report)))!;
  } catch (e) {
    if (e instanceof NotFoundError) error(404, e.message);
    throw e;
  }
};
