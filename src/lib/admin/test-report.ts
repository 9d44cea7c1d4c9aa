/**
 * What "Kiểm tra kết nối" shows (the engine's TestReport, src/lib/server/pipeline/test-connection.ts),
 * as the browser receives it: the exact requests and responses, the vendor's own message, then
 * the preview. Kept here as plain types so a component can import them without server code.
 */
export type ErrorStageName = 'connection' | 'http' | 'parse' | 'mapping' | 'config';

export interface DescribedRequestView {
  method: string;
  url: string;
  /** Secrets masked as "••••". */
  headers: Record<string, string>;
  body: string | null;
}

export interface ExchangeView {
  request: DescribedRequestView;
  response: { status: number; contentType: string | null; body: string; truncated: boolean } | null;
}

export interface TestReportView {
  ok: boolean;
  stage: ErrorStageName | null;
  error: string | null;
  vendorMessage: string | null;
  window: { from: string; to: string } | null;
  exchanges: ExchangeView[];
  read: number;
  accepted: number;
  rejectedCount: number;
  /** Rows of units outside the source's scope, skipped. */
  skipped: number;
  samples: { unitCode: string; metric: string; date: string; value: number }[];
  rejected: { index: number; reason: string }[];
  shown: { samples: number; rejected: number };
}

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
