import { describe, expect, it } from 'vitest';
import { renderMetrics, toSourceHealth } from './sources.ts';

const row = (over: Partial<Parameters<typeof toSourceHealth>[0]> = {}): Parameters<typeof toSourceHealth>[0] => ({
  key: 'motcua', name: 'Một cửa', family: 'dossier', kind: 'json_http', enabled: true, stale_after_seconds: 60, daily_deadline: '17:00',
  last_poll_at: '2026-11-20T09:59:50Z', last_success_at: '2026-11-20T09:59:50Z', last_outcome: 'success', last_error: null, last_error_stage: null,
  consecutive_failures: 0, breaker_state: 'closed', breaker_retry_at: null, covered_through: '2026-11-20',
  polls_success: 10, polls_partial: 2, polls_failed: 3, polls_skipped: 1, samples_accepted: 1000, rows_rejected: 4, poll_duration_ms_sum: 2500,
  ...over
});
const at = (iso: string) => new Date(iso);

describe('source health', () => {
  it('is ok after a recent success', () => {
    expect(toSourceHealth(row(), at('2026-11-20T10:00:00Z'))).toMatchObject({ status: 'ok', stale: false, missedDeadline: false, breaker: { state: 'closed', retryAt: null } });
  });
  it('turns stale when no success came within stale-after', () => {
    expect(toSourceHealth(row(), at('2026-11-20T10:01:00Z'))).toMatchObject({ status: 'stale', stale: true });
  });
  it('says failing, then circuit open, then half open once the wait is over', () => {
    expect(toSourceHealth(row({ consecutive_failures: 2, last_outcome: 'failed' }), at('2026-11-20T10:00:00Z')).status).toBe('failing');
    const open = row({ consecutive_failures: 5, breaker_state: 'open', breaker_retry_at: '2026-11-20T10:00:30Z' });
    expect(toSourceHealth(open, at('2026-11-20T10:00:00Z'))).toMatchObject({ status: 'circuit_open', breaker: { state: 'open', retryAt: '2026-11-20T10:00:30.000Z' } });
    expect(toSourceHealth(open, at('2026-11-20T10:00:31Z')).breaker.state).toBe('half_open');
  });
  it('misses the deadline after 17:00 ICT with no success that day (ICT, not UTC)', () => {
    const yesterday = row({ last_success_at: '2026-11-19T16:59:00Z', stale_after_seconds: 86_400 }); // 23:59 ICT on the 19th
    expect(toSourceHealth(yesterday, at('2026-11-20T09:59:00Z')).missedDeadline).toBe(false); // 16:59 ICT
    expect(toSourceHealth(yesterday, at('2026-11-20T10:00:00Z')).missedDeadline).toBe(true); // 17:00 ICT
    const early = row({ last_success_at: '2026-11-19T17:01:00Z', stale_after_seconds: 86_400 }); // 00:01 ICT on the 20th
    expect(toSourceHealth(early, at('2026-11-20T10:00:00Z')).missedDeadline).toBe(false);
  });
  it('is disabled, whatever else, when switched off; never polled when new', () => {
    expect(toSourceHealth(row({ enabled: false, consecutive_failures: 9 }), at('2026-11-21T00:00:00Z'))).toMatchObject({ status: 'disabled', stale: false });
    expect(toSourceHealth(row({ last_poll_at: null, last_success_at: null, last_outcome: null }), at('2026-11-21T00:00:00Z'))).toMatchObject({ status: 'never_polled', stale: false });
  });
});

describe('/metrics', () => {
  it('renders Prometheus text with counters, a summary and the breaker state set', () => {
    const text = renderMetrics([row({ key: 'a"b' })], 2, at('2026-11-20T10:00:00Z'));
    expect(text).toContain('# TYPE cityops_source_polls_total counter');
    expect(text).toContain('cityops_source_polls_total{source="a\\"b",outcome="failed"} 3');
    expect(text).toContain('cityops_source_poll_duration_seconds_sum{source="a\\"b"} 2.5');
    expect(text).toContain('cityops_source_poll_duration_seconds_count{source="a\\"b"} 15');
    expect(text).toContain('cityops_source_breaker_state{source="a\\"b",state="closed"} 1');
    expect(text).toContain('cityops_source_breaker_state{source="a\\"b",state="open"} 0');
    expect(text).toContain('cityops_workers_alive 2');
    // Every sample line is "name{labels} value" or "name value".
    for (const line of text.trim().split('\n').filter((l) => !l.startsWith('#'))) expect(line).toMatch(/^[a-z_]+(\{[^}]*\})? -?[\d.e+]+$/);
  });
});
