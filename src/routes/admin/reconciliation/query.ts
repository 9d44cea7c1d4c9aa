/** The report's query, shared by the page and its CSV: a month, a quarter or a year (default: the newest month the portal published). */
import { z } from 'zod';
import { isoDateSchema } from '#contract/dto';
import { today } from '#domain/periods';
import { rootUnitCode } from '#server/boards';
import type { Sql } from '#db/client';
import { parseQuery } from '#server/http';
import { publishedOpening, type Opening } from '#server/p766';
import { RECONCILED_SCHEME } from '#server/reconciliation';

const schema = z.object({ period: z.enum(['month', 'quarter', 'year'], { error: 'must be month, quarter or year' }), date: isoDateSchema });

export async function reportQuery(db: Sql, url: URL): Promise<{ period: 'month' | 'quarter' | 'year'; date: string; scope: string; unpublished: Opening['unpublished'] }> {
  const q = parseQuery(schema, url, { period: 'month', date: today() });
  const scope = await rootUnitCode(db);
  if (url.searchParams.has('date')) return { ...q, scope, unpublished: null };
  const opening = await publishedOpening(db, { schemeKey: RECONCILED_SCHEME, scope, kind: q.period, date: q.date });
  return { ...q, date: opening.date, scope, unpublished: opening.unpublished };
}
