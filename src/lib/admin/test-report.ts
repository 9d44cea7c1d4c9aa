/** A test report as the screens show it (the wire shape: src/lib/contract/test-report.ts). */
import type { TestReportView } from '#contract/test-report';

export type { DescribedRequestView, ErrorStageName, ExchangeView, TestReportView } from '#contract/test-report';

/** Any test result (the engine's report, or an older one without requests) as a full report. */
export function asReport(r: Partial<TestReportView> & { httpStatus?: number | null }): TestReportView {
  const samples = r.samples ?? [];
  const rejected = r.rejected ?? [];
  const accepted = r.accepted ?? 0;
  const rejectedCount = r.rejectedCount ?? rejected.length;
  return {
    ok: r.ok ?? false,
    stage: r.stage ?? null,
    error: r.error ?? null,
    vendorMessage: r.vendorMessage ?? null,
    window: r.window ?? null,
    exchanges: r.exchanges ?? [],
    read: r.read ?? accepted + rejectedCount,
    accepted,
    rejectedCount,
    skipped: r.skipped ?? 0,
    samples,
    rejected,
    shown: r.shown ?? { samples: samples.length, rejected: rejected.length }
  };
}
