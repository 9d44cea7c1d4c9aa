/**
 * Follows a queued job from a page: asks /admin/jobs/{kind}/{id} every second until it is done or
 * has failed, and reports each answer (or why there is none, in words). A job that does not exist
 * (404) stops the following; any other failure is asked again. Returns the function that stops it.
 */
import type { JobKind, JobStatus } from '#contract/jobs';
import { m } from '$lib/paraglide/messages';
import { settled } from './job-status';

export function followJob(
  kind: JobKind,
  id: string,
  on: { status: (s: JobStatus) => void; problem: (words: string | null) => void; settled?: (s: JobStatus) => void }
): () => void {
  const url = `/admin/jobs/${kind}/${id}`;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let gone = false;
  async function ask() {
    try {
      const r = await fetch(url, { headers: { accept: 'application/json' } });
      if (gone) return;
      if (r.status === 404) return on.problem(m.screens_job_not_found());
      if (!r.ok) on.problem(m.screens_job_unreadable({ status: String(r.status) }));
      else {
        const status = (await r.json()) as JobStatus;
        if (gone) return;
        on.status(status);
        on.problem(null);
        if (settled(status)) return on.settled?.(status);
      }
    } catch {
      if (gone) return;
      on.problem(m.screens_job_reconnecting());
    }
    timer = setTimeout(ask, 1000);
  }
  void ask();
  return () => {
    gone = true;
    clearTimeout(timer);
  };
}
