import { error } from '@sveltejs/kit';
import { sql } from '#server/db';
import { sourceActions } from '$lib/server/admin/source-actions';
import { pollHistory, readSourceView } from '$lib/server/admin/sources';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, url }) => {
  const db = await sql();
  const source = await readSourceView(db, params.key);
  if (!source) error(404, `Không có nguồn dữ liệu ${params.key}`);
  const page = Math.max(1, Number(url.searchParams.get('page')) || 1);
  return { source, runs: await pollHistory(db, params.key, page), page, saved: url.searchParams.has('saved') };
};

export const actions: Actions = sourceActions((event) => event.params.key);
