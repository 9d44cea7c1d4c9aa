import { error, json } from '@sveltejs/kit';
import { z } from 'zod';
import { gsoCodeSchema, isoDateSchema } from '#contract/dto';
import { addDays, today } from '#domain/periods';
import { NotFoundError, readSeries } from '#server/boards';
import { sql } from '#server/db';
import { parseQuery } from '#server/http';
import { canReadDetail } from '$lib/server/auth/access';
import { fileResponse, formatOf, seriesTable } from '$lib/server/exports';
import type { RequestHandler } from './$types';

const schema = z
  .object({ unit: gsoCodeSchema, indicator: z.string().min(1), from: isoDateSchema, to: isoDateSchema })
  .refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['from'] })
  .refine((q) => q.from >= addDays(q.to, -1100), { message: 'at most 1,100 days at once', path: ['from'] });

/** GET /api/v1/series?unit=<GSO code>&indicator=dossier.on_time&from=YYYY-MM-DD&to=YYYY-MM-DD — daily values */
export const GET: RequestHandler = async ({ url, locals }) => {
  const to = today();
  const q = parseQuery(schema, url, { indicator: 'dossier.on_time', from: addDays(to, -89), to });
  const db = await sql();
  if (!(await canReadDetail(db, locals.principal, q.unit))) error(403, `unit: not allowed to read the detail of ${q.unit}`);
  const format = formatOf(url);
  try {
    const series = await readSeries(db, q.unit, q.indicator, q.from, q.to);
    const file = await fileResponse(format, seriesTable(series), `chuoi-${q.unit}-${q.indicator}-${q.from}-${q.to}`);
    return file ?? json(series);
  } catch (e) {
    if (e instanceof NotFoundError) error(404, e.message);
    throw e;
  }
};
