/**
 * What "Kiểm tra kết nối" reports, on the wire (the engine builds it in
 * src/lib/server/pipeline/test-connection.ts; the admin screens and the admin API show it): the exact
 * requests and responses, the vendor's own message, then the preview. Plain types, browser-safe.
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
