import { error, fail } from '@sveltejs/kit';
import { sql } from '#server/db';
import { jobQueue } from '#server/jobs/sender';
import { sourceActions } from '$lib/server/admin/source-actions';
import { codeSystems, pollHistory, pollNow, readSourceView } from '$lib/server/admin/sources';
import type { PlaceholderHelp } from '$lib/admin/help';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, url }) => {
  const db = await sql();
  const source = await readSourceView(db, params.key);
  if (!source) error(404, `Không có nguồn dữ liệu ${params.key}`);
  const page = Math.max(1, Number(url.searchParams.get('page')) || 1);
  return {
    source, runs: await pollHistory(db, params.key, page), page, saved: url.searchParams.has('saved'),
    /** "Lưu và kiểm tra": the page runs the test once open. */
    testNow: url.searchParams.has('test'),
    codeSystems: await codeSystems(db),
    placeholders: [] as PlaceholderHelp[]
  };
};

export const actions: Actions = {
  ...sourceActions((event) => event.params.key),
  // Queued straight on pg-boss; the page follows the job until its poll run is recorded.
  pollNow: async ({ params, locals, getClientAddress }) => {
    const result = await pollNow(await sql(), params.key, { actor: locals.principal, ip: getClientAddress(), jobs: await jobQueue() });
    if (!result.ok) return fail(result.status, { pollMessage: result.message });
    return { pollJob: result.jobId };
  }
};
