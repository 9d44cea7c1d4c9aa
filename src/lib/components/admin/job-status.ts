/**
 * A job's progress in words (Vietnamese by default, English on the switch), as the admin pages show
 * it under a change they queued: a recompute batch, a "poll now", or a source's history ("Nạp lịch
 * sử": windows done, values stored, windows failed). Numbers and times in vi-VN formats.
 */
import type { JobStatus, PollSkip } from '#contract/jobs';
import { formatInteger, formatTime } from '$lib/format';
import { m } from '$lib/paraglide/messages';
import { getLocale, type Locale } from '$lib/paraglide/runtime';

export type Tone = 'ok' | 'error' | 'busy';

const SKIPPED: Record<PollSkip, (o: { locale: Locale }) => string> = {
  disabled: (o) => m.words_job_skip_disabled({}, o),
  missing: (o) => m.words_job_skip_missing({}, o),
  upload: (o) => m.words_job_skip_upload({}, o)
};

/** Whether a page still has to ask again. */
export const settled = (s: JobStatus) => s.state === 'done' || s.state === 'failed';

export function jobStatusWords(s: JobStatus, locale: Locale = getLocale()): { text: string; tone: Tone } {
  const o = { locale };
  const n = formatInteger;
  const unknown = () => m.words_job_unknown({}, o);
  const noReason = () => m.words_job_no_reason({}, o);
  if (s.kind === 'recompute') {
    const boards = m.words_job_boards({ n: n(s.total) }, o);
    const done = n(s.done);
    switch (s.state) {
      case 'queued': return { text: m.words_job_recompute_queued({ boards }, o), tone: 'busy' };
      case 'running': return { text: m.words_job_recompute_running({ done, boards }, o), tone: 'busy' };
      case 'retrying': return { text: m.words_job_recompute_retrying({ done, boards, error: s.error ?? unknown() }, o), tone: 'busy' };
      case 'done': return { text: m.words_job_recompute_done({ boards, at: formatTime(s.finishedAt) }, o), tone: 'ok' };
      case 'failed': return { text: m.words_job_recompute_failed({ done, boards, error: s.error ?? noReason() }, o), tone: 'error' };
    }
  }
  if (s.kind === 'backfill') {
    const b = s.backfill;
    const counts = { done: n(s.done), total: n(s.total), samples: n(b?.samples ?? 0), rejected: n(b?.rejected ?? 0), failed: n(b?.failed ?? 0) };
    switch (s.state) {
      case 'queued': return { text: m.words_job_backfill_queued({}, o), tone: 'busy' };
      case 'running': return { text: m.words_job_backfill_running(counts, o), tone: 'busy' };
      case 'retrying': return { text: m.words_job_backfill_retrying({ ...counts, error: s.error ?? unknown() }, o), tone: 'busy' };
      case 'done': return { text: m.words_job_backfill_done({ ...counts, at: formatTime(s.finishedAt) }, o), tone: b?.failed ? 'error' : 'ok' };
      case 'failed': return { text: m.words_job_backfill_failed({ ...counts, error: s.error ?? noReason() }, o), tone: 'error' };
    }
  }
  switch (s.state) {
    case 'queued': return { text: m.words_job_poll_queued({}, o), tone: 'busy' };
    case 'running': return { text: m.words_job_poll_running({}, o), tone: 'busy' };
    case 'retrying': return { text: m.words_job_retrying({ error: s.error ?? unknown() }, o), tone: 'busy' };
    case 'failed': return { text: m.words_job_poll_failed({ error: s.error ?? noReason() }, o), tone: 'error' };
    case 'done': {
      const p = s.poll;
      if (!p) return { text: m.words_job_poll_done({}, o), tone: 'ok' };
      if (p.skipped) return { text: m.words_job_poll_not_polled({ why: SKIPPED[p.skipped](o) }, o), tone: 'error' };
      switch (p.outcome) {
        case 'success': return { text: m.words_job_poll_success({ accepted: n(p.accepted) }, o), tone: 'ok' };
        case 'partial': return { text: m.words_job_poll_partial({ accepted: n(p.accepted), rejected: n(p.rejected) }, o), tone: 'error' };
        case 'failed': return { text: m.words_job_poll_error({ error: p.error ?? noReason() }, o), tone: 'error' };
        case 'skipped': return { text: m.words_job_poll_skipped({ error: p.error ?? m.words_job_poll_skipped_default({}, o) }, o), tone: 'error' };
      }
    }
  }
}
