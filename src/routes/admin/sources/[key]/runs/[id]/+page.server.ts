import { error } from '@sveltejs/kit';
import { sql } from '#server/db';
import { pollRun } from '$lib/server/admin/sources';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params }) => {
  const id = Number(params.id);
  if (!Number.isInteger(id) || id <= 0) error(400, 'id: must be a positive whole number');
  const run = await pollRun(await sql(), params.key, id);
  if (!run) error(404, `Không có lần lấy số liệu ${params.id} của nguồn ${params.key}`);
  return { key: params.key, run };
};
