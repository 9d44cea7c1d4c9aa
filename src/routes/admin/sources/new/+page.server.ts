import { sql } from '#server/db';
import { sourceActions } from '$lib/server/admin/source-actions';
import { codeSystems } from '$lib/server/admin/sources';
import type { PlaceholderHelp } from '$lib/admin/help';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async () => ({ codeSystems: await codeSystems(await sql()), placeholders: [] as PlaceholderHelp[] });

export const actions: Actions = sourceActions(() => undefined);
