import { error, json } from '@sveltejs/kit';
import { boardQuerySchema } from '#contract/dto';
import { today } from '#domain/periods';
import { NotFoundError, readBoard, rootUnitCode } from '#server/boards';
import { sql } from '#server/db';
import { parseQuery } from '#server/http';
import { canReadBoard } from '$lib/server/auth/access';
import { boardFileName, boardNotes, boardTable, fileResponse, formatOf } from '$lib/server/exports';
import { estimateBefore } from '#server/lineage';
import type { RequestHandler } from './$types';

/** GET /api/v1/rankings?scope=<GSO code>&period=<any period kind>&date=YYYY-MM-DD[&scheme=operations|national_766][&format=json|csv|xlsx] */
export const GET: RequestHandler = async ({ url, locals }) => {
  const db = await sql();
  const defaultScope = locals.principal.kind === 'display' ? locals.principal.scopeCode : await rootUnitCode(db);
  const query = parseQuery(boardQuerySchema, url, { scope: defaultScope, period: 'month', date: today() });
  if (!(await canReadBoard(db, locals.principal, query.scope))) error(403, `scope: not allowed to read the board of ${query.scope}`);
  const format = formatOf(url);
  try {
    const board = await readBoard(db, query);
    const notes = format === 'xlsx' ? boardNotes(await estimateBefore(db, board)) : {};
    const file = await fileResponse(format, boardTable(board), boardFileName(board), notes);
    return file ?? json(board);
  } catch (e) {
    if (e instanceof NotFoundError) error(404, e.message);
    throw e;
  }
};
