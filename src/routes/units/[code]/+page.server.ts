import { error } from '@sveltejs/kit';
import { boardPeriodKindSchema, isoDateSchema } from '#contract/dto';
import { addDays, today } from '#domain/periods';
import { readBoard, readSeries, readUnit } from '#server/boards';
import { sql } from '#server/db';
import { parseQuery } from '#server/http';
import { z } from 'zod';
import { canReadDetail } from '$lib/server/auth/access';
import type { PageServerLoad } from './$types';

const schema = z.object({ period: boardPeriodKindSchema, date: isoDateSchema });

/** A unit's page: its children ranked (when it has any) and its daily on-time history. */
export const load: PageServerLoad = async ({ params, url, locals }) => {
  const db = await sql();
  const unit = await readUnit(db, params.code);
  if (!unit) error(404, `Không có đơn vị mã ${params.code}`);
  const q = parseQuery(schema, url, { period: 'month', date: today() });
  const query = { scope: unit.code, period: q.period, date: q.date };
  // Every board is open to every signed-in person; the unit's own history only to those who may see its detail.
  const detail = await canReadDetail(db, locals.principal, unit.code);
  const [board, series] = await Promise.all([
    unit.hasChildren ? readBoard(db, query) : Promise.resolve(null),
    detail ? readSeries(db, unit.code, 'dossier.on_time', addDays(q.date, -89), q.date) : Promise.resolve(null)
  ]);
  return { unit, query, board, series };
};
