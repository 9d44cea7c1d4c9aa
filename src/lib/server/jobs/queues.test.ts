import { describe, expect, it } from 'vitest';
import { historyJobSchema, payloadError, pollJobSchema, recomputeJobSchema, sourceBackfillJobSchema } from './queues.ts';

const refusal = (schema: { safeParse: (x: unknown) => { success: boolean; error?: unknown } }, data: unknown) => {
  const r = schema.safeParse(data);
  if (r.success) throw new Error(`accepted ${JSON.stringify(data)}`);
  return payloadError(r.error as Parameters<typeof payloadError>[0]);
};

describe('job payloads', () => {
  it('take what the senders send', () => {
    expect(pollJobSchema.parse({ sourceId: 3 })).toEqual({ sourceId: 3, reason: 'schedule' });
    expect(historyJobSchema.parse({ from: '2025-11-01', to: '2026-09-30' })).toEqual({ from: '2025-11-01', to: '2026-09-30' });
    const job = { period: { kind: 'report_quarter', start: '2026-09-15' }, schemes: ['national_766'], cause: 'scheme', batch: '6f1c2b8e-3d4a-4b5c-8d9e-0a1b2c3d4e5f' };
    expect(recomputeJobSchema.parse(job)).toEqual(job);
    const backfill = { sourceId: 7, from: '2025-10-17', to: '2026-11-20', requestedBy: 'admin' };
    expect(sourceBackfillJobSchema.parse(backfill)).toEqual(backfill);
  });

  it('refuse anything else in words naming the field', () => {
    expect(refusal(historyJobSchema, { from: '2026-10-07', to: '2026-10-01' })).toBe('payload: to: must not be before from');
    expect(refusal(historyJobSchema, {})).toBe('payload: from: must be a date written YYYY-MM-DD; to: must be a date written YYYY-MM-DD');
    expect(refusal(pollJobSchema, { sourceId: '3' })).toBe('payload: sourceId: must be a number');
    expect(refusal(sourceBackfillJobSchema, { sourceId: 7, from: '2026-11-20', to: '2026-11-01', requestedBy: 'admin' })).toBe('payload: to: must not be before from');
    expect(refusal(sourceBackfillJobSchema, { sourceId: 0, from: '2026-11-01', to: '2026-11-20' })).toBe('payload: sourceId: must be positive; requestedBy: must be text');
    expect(refusal(recomputeJobSchema, { period: { kind: 'quarter', start: '2026-11-01' }, cause: 'long_boards' })).toBe(
      'payload: period.start: must be the first day of its period'
    );
    expect(refusal(recomputeJobSchema, { period: { kind: 'decade', start: '2020-01-01' }, cause: 'poll' })).toMatch(
      /^payload: period\.kind: must be one of day, week, .*; cause: must be one of long_boards, big_boards, scheme, units, priority$/
    );
    expect(refusal(recomputeJobSchema, { period: { kind: 'day', start: '2026-11-20' }, cause: 'scheme', schemes: [] })).toBe(
      'payload: schemes: name at least one scheme, or leave it out for every scheme'
    );
    expect(refusal(recomputeJobSchema, { period: { kind: 'day', start: '2026-11-20' }, cause: 'big_boards', scopes: [3, 'VN'] })).toBe('payload: scopes.1: must be a unit id');
    expect(refusal(recomputeJobSchema, { period: { kind: 'day', start: '2026-11-20' }, cause: 'big_boards', scopes: [] })).toBe(
      'payload: scopes: name at least one scope, or leave it out for every scope'
    );
  });
});
