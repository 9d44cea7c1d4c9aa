/**
 * Test connection: ask a source once for its poll window (every page), map and check what came
 * back, and store nothing. The report shows the exact requests (secrets masked) and responses
 * (status, content type, the first 64 KB of the body pretty-printed), the vendor's own message on
 * a 4xx/5xx, then the preview: counts over all rows, the first samples and rejected rows (numbered
 * by their place in the body), and a failure when nothing at all is valid.
 */
import type { Queryable } from '#db/client';
import type { TestReportView } from '#contract/test-report';
import type { ErrorStage } from '#db/schema/sources';
import { today } from '#domain/periods';
import type { Exchange } from './client.ts';
import { loadLookups } from './ingest.ts';
import { fetchWindow, pollWindow, type SourceRow } from './poll.ts';
import { periodWords } from './periods.ts';
import { SourceError, type Credentials } from './types.ts';
import type { Window } from './mapping/validate.ts';

/** How many samples and rejected rows a report lists (the counts are over all of them). */
export const TEST_SHOWN = 50;

/** The report (its wire shape: src/lib/contract/test-report.ts), with the engine's own types. */
export interface TestReport extends TestReportView {
  stage: ErrorStage | null;
  /** The status of the last response (null: none came). */
  httpStatus: number | null;
  window: Window;
  exchanges: Exchange[];
}

export async function testConnection(sql: Queryable, source: SourceRow, credentials: Credentials, options: { now?: Date } = {}): Promise<TestReport> {
  const planned = pollWindow(source, null, today(options.now));
  const window = { from: planned.from, to: planned.to };
  const empty = { read: 0, accepted: 0, rejectedCount: 0, skipped: 0, samples: [], rejected: [], shown: { samples: 0, rejected: 0 } };
  try {
    const lookups = await loadLookups(sql, source.codeSystem);
    const fetched = await fetchWindow(source, window, credentials, lookups, { retry: { attempts: 1, baseDelayMs: 0 }, maxExchanges: 20 });
    const codeOf = new Map([...lookups.unitIdByCode].map(([code, id]) => [id, code]));
    const keyOf = new Map([...lookups.metrics].map(([key, m]) => [m.id, key]));
    // A periodic source's values show with their period's first day (the metric names the period kind in the preview's heading).
    const periodRows = fetched.periodRows ?? [];
    const samples = [
      ...fetched.rows.slice(0, TEST_SHOWN).map((r) => ({ unitCode: codeOf.get(r.unitId) ?? '?', metric: keyOf.get(r.metricId) ?? '?', date: r.day, value: r.value })),
      ...periodRows.slice(0, TEST_SHOWN).map((r) => ({
        unitCode: codeOf.get(r.unitId) ?? '?', metric: `${keyOf.get(r.metricId) ?? '?'} (${periodWords({ kind: r.periodKind, start: r.periodStart })})`, date: r.periodStart, value: r.value
      }))
    ].slice(0, TEST_SHOWN);
    const accepted = fetched.rows.length + periodRows.length;
    const rejected = fetched.rejected.slice(0, TEST_SHOWN);
    const report = {
      window, exchanges: fetched.exchanges, httpStatus: fetched.httpStatus, vendorMessage: null, read: fetched.read, accepted,
      rejectedCount: fetched.rejected.length, skipped: fetched.skipped ?? 0, samples, rejected, shown: { samples: samples.length, rejected: rejected.length }
    };
    if (accepted) return { ok: true, stage: null, error: null, ...report };
    // A periodic source with nothing published yet for the window's periods is not a failure of the connection.
    if (source.periods?.length && !fetched.read && fetched.httpStatus >= 200 && fetched.httpStatus < 300) {
      return { ok: true, stage: null, error: null, ...report };
    }
    const skipped = fetched.skipped ?? 0;
    const error = fetched.read && skipped === fetched.read
      ? `không có dòng hợp lệ nào: cả ${skipped.toLocaleString('vi-VN')} dòng đọc được đều thuộc đơn vị ngoài phạm vi của nguồn (kiểm tra ô phạm vi và hệ mã đơn vị)`
      : fetched.read
      ? `không có dòng hợp lệ nào: đọc được ${fetched.read.toLocaleString('vi-VN')} dòng, ${fetched.rejected.length.toLocaleString('vi-VN')} dòng bị từ chối (xem lý do bên dưới)`
      : `nguồn không trả bản ghi nào cho khoảng ${window.from} – ${window.to} (hoặc phép ánh xạ không đọc ra bản ghi nào)`;
    return { ok: false, stage: 'mapping', error, ...report };
  } catch (e) {
    if (!(e instanceof SourceError)) {
      return { ok: false, stage: null, error: (e as Error).message, vendorMessage: null, httpStatus: null, window, exchanges: [], ...empty };
    }
    return {
      ok: false, stage: e.stage, error: e.message, vendorMessage: e.vendorMessage, httpStatus: e.httpStatus, window, exchanges: e.exchanges, ...empty
    };
  }
}
