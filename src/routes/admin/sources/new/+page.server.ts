import { sql } from '#server/db';
import { sourceActions } from '$lib/server/admin/source-actions';
import { codeSystems } from '$lib/server/admin/sources';
import { PLACEHOLDER_HELP } from '#server/pipeline/request';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async () => ({ codeSystems: await codeSystems(await sql()), placeholders: PLACEHOLDER_HELP });

export const actions: Actions = sourceActions(() => undefined);
