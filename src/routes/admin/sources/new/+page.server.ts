import { sourceActions } from '$lib/server/admin/source-actions';
import type { Actions } from './$types';

export const actions: Actions = sourceActions(() => undefined);
