import { describe, expect, it } from 'vitest';
import type { SourceHealth } from '#contract/dto';
import { familyFreshness, STATUS_LABELS, statusLabel, statusText } from './source-status.ts';

const source = (key: string, family: string, patch: Partial<SourceHealth> = {}): SourceHealth => ({
  key, name: key, family, kind: 'json_http', enabled: true, status: 'ok', lastPollAt: null, lastSuccessAt: '2026-11-22T08:00:00.000Z',
  lastOutcome: 'success', lastError: null, lastErrorStage: null, consecutiveFailures: 0, breaker: { state: 'closed', retryAt: null }, stale: false,
  staleAfterSeconds: 300, dailyDeadline: null, missedDeadline: false, coveredThrough: null, ...patch
});

describe('family freshness', () => {
  it('is as current as its oldest live source, and a never-used upload source does not hold it back', () => {
    const f = familyFreshness(
      [
        source('a', 'dossier', { lastSuccessAt: '2026-11-22T08:05:00.000Z' }),
        source('b', 'dossier', { lastSuccessAt: '2026-11-22T08:01:00.000Z' }),
        source('up', 'dossier', { kind: 'upload', status: 'never_polled', lastSuccessAt: null }),
        source('c', 'eid', { lastSuccessAt: '2026-11-22T07:00:00.000Z' })
      ],
      'dossier'
    );
    expect(f).toEqual({ asOf: '2026-11-22T08:01:00.000Z', problem: null });
  });

  it('names the worst problem: breaker open before stale before failing; a disabled source is not a problem', () => {
    const sources = [source('a', 'eid', { status: 'failing' }), source('b', 'eid', { status: 'stale', stale: true }), source('d', 'eid', { enabled: false, status: 'disabled' })];
    expect(familyFreshness(sources, 'eid').problem).toEqual({ status: 'stale', text: 'Số liệu cũ', icon: '⏱' });
    expect(familyFreshness([...sources, source('c', 'eid', { status: 'circuit_open' })], 'eid').problem?.status).toBe('circuit_open');
    expect(familyFreshness([source('d', 'eid', { enabled: false, status: 'disabled' })], 'eid')).toEqual({ asOf: null, problem: null });
  });
});

describe('status words', () => {
  it('are Vietnamese by default and English when asked, the upload sources with their own wording', () => {
    expect(statusLabel('circuit_open')).toBe('Tạm ngừng gọi');
    expect(statusLabel('circuit_open', 'en')).toBe('Polling paused');
    expect(STATUS_LABELS.ok).toMatchObject({ text: 'Bình thường', icon: '✓', tone: 'good' });
    const upload = source('up', 'dossier', { kind: 'upload', status: 'never_polled' });
    expect(statusText(upload)).toBe('Chưa có tệp tải lên');
    expect(statusText(upload, 'en')).toBe('No file uploaded yet');
    // A failing source says where it failed, in both languages.
    const failing = (stage: SourceHealth['lastErrorStage']) => source('f', 'dossier', { status: 'failing', lastErrorStage: stage, consecutiveFailures: 1 });
    expect(['connection', 'http', 'parse', 'mapping', 'config', null].map((st) => statusText(failing(st as SourceHealth['lastErrorStage'])))).toEqual([
      'Lỗi kết nối', 'Lỗi HTTP', 'Nội dung không đọc được', 'Lỗi ánh xạ', 'Lỗi cấu hình', 'Lỗi kết nối'
    ]);
    expect(statusText(failing('parse'), 'en')).toBe('Body could not be read');
    expect(familyFreshness([failing('http')], 'dossier').problem).toEqual({ status: 'failing', text: 'Lỗi HTTP', icon: '✕' });
    const stale = [source('b', 'eid', { status: 'stale', stale: true })];
    expect(familyFreshness(stale, 'eid', 'en').problem).toEqual({ status: 'stale', text: 'Data stale', icon: '⏱' });
  });
});
