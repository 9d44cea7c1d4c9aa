/** A source's status in words and a symbol, never colour alone (the overview, the unit page and the wall share them). */
import type { SourceHealth } from '#contract/dto';

export type Tone = 'good' | 'warn' | 'bad' | 'muted';

export const STATUS_LABELS: Record<SourceHealth['status'], { text: string; icon: string; tone: Tone }> = {
  ok: { text: 'Bình thường', icon: '✓', tone: 'good' },
  partial: { text: 'Có dòng bị loại', icon: '!', tone: 'warn' },
  failing: { text: 'Lỗi kết nối', icon: '✕', tone: 'bad' },
  stale: { text: 'Số liệu cũ', icon: '⏱', tone: 'bad' },
  circuit_open: { text: 'Tạm ngừng gọi', icon: '⏸', tone: 'bad' },
  disabled: { text: 'Đã tắt', icon: '–', tone: 'muted' },
  never_polled: { text: 'Chưa lấy số liệu', icon: '…', tone: 'muted' }
};

/** The status in words, with the upload sources' own wording for "nothing yet". */
export function statusText(s: SourceHealth): string {
  return s.kind === 'upload' && s.status === 'never_polled' ? 'Chưa có tệp tải lên' : STATUS_LABELS[s.status].text;
}

export interface Freshness {
  /** The oldest last success among the family's live sources: everything shown is at least this current. */
  asOf: string | null;
  /** The worst problem among them, if any (stale, failing, breaker open), for a badge. */
  problem: { status: SourceHealth['status']; text: string; icon: string } | null;
}

const PROBLEMS: SourceHealth['status'][] = ['circuit_open', 'stale', 'failing'];

/** How current a family's data is: its enabled sources that have reported (a never-used upload source does not count). */
export function familyFreshness(sources: readonly SourceHealth[], family: string): Freshness {
  const live = sources.filter((s) => s.family === family && s.enabled && s.status !== 'never_polled');
  let asOf: string | null = null;
  for (const s of live) if (s.lastSuccessAt && (asOf === null || s.lastSuccessAt < asOf)) asOf = s.lastSuccessAt;
  const worst = PROBLEMS.map((p) => live.find((s) => s.status === p)).find(Boolean) ?? live.find((s) => s.stale);
  const problem = worst ? { status: worst.status, text: STATUS_LABELS[worst.stale ? 'stale' : worst.status].text, icon: STATUS_LABELS[worst.stale ? 'stale' : worst.status].icon } : null;
  return { asOf, problem };
}
