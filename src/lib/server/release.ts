/**
 * Which deployment this web process is: SvelteKit's build version, or `CITYOPS_RELEASE` when the
 * operators set one. Wall screens compare it on every (re)connection and reload themselves when
 * it changes, so a new deployment reaches the video wall without anyone touching it.
 */
import { version } from '$app/environment';
import { config } from './config.ts';

export const RELEASE = config().CITYOPS_RELEASE ?? version;
