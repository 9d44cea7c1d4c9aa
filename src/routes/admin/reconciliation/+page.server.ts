import { error } from '@sveltejs/kit';
import { sql } from '#server/db';
import { NotFoundError } from '#server/boards';
import { readReconciliation } from '#server/reconciliation';
import { reportQuery } from './query';
import type { PageServerLoad } from './$types';

/**
 * The 766 reconciliation of a period (issue 13, item 5): every agency and commune of the province and
 * the province itself, each of the six groups ours beside the portal's; the counts of each state on
 * top, then every (unit, group) that differs with the counts behind it.
 */
export const load: PageServerLoad = async ({ url }) => {
  const db = await sql();
  const query = await reportQuery(db, url);
  try {
    const report = await readReconciliation(db, query);
    return { query, report };
  } catch (e) {
    if (e instanceof NotFoundError) error(404, e.message);
    throw e;
  }
};
