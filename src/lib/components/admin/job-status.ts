/** A job's progress in Vietnamese words, as the admin pages show it under a change they queued. */
import type { JobStatus, PollSkip } from '#contract/jobs';
import { formatInteger, formatTime } from '$lib/format';

export type Tone = 'ok' | 'error' | 'busy';

const SKIPPED: Record<PollSkip, string> = {
  disabled: 'nguồn đang tắt',
  missing: 'nguồn không còn',
  upload: 'nguồn chỉ nhận tệp tải lên'
};

/** Whether a page still has to ask again. */
export const settled = (s: JobStatus) => s.state === 'done' || s.state === 'failed';

export function jobStatusWords(s: JobStatus): { text: string; tone: Tone } {
  if (s.kind === 'recompute') {
    const boards = `${formatInteger(s.total)} bảng xếp hạng`;
    switch (s.state) {
      case 'queued': return { text: `Đang chờ tính lại ${boards}…`, tone: 'busy' };
      case 'running': return { text: `Đang tính lại: xong ${formatInteger(s.done)}/${boards}…`, tone: 'busy' };
      case 'retrying': return { text: `Đang thử lại (xong ${formatInteger(s.done)}/${boards}); lần trước lỗi: ${s.error ?? 'không rõ'}`, tone: 'busy' };
      case 'done': return { text: `Đã tính lại xong ${boards} lúc ${formatTime(s.finishedAt)}.`, tone: 'ok' };
      case 'failed': return { text: `Tính lại thất bại (xong ${formatInteger(s.done)}/${boards}): ${s.error ?? 'không rõ lý do'}`, tone: 'error' };
    }
  }
  switch (s.state) {
    case 'queued': return { text: 'Đang chờ lấy số liệu…', tone: 'busy' };
    case 'running': return { text: 'Đang lấy số liệu…', tone: 'busy' };
    case 'retrying': return { text: `Đang thử lại; lần trước lỗi: ${s.error ?? 'không rõ'}`, tone: 'busy' };
    case 'failed': return { text: `Lấy số liệu thất bại: ${s.error ?? 'không rõ lý do'}`, tone: 'error' };
    case 'done': {
      const p = s.poll;
      if (!p) return { text: 'Đã lấy số liệu xong.', tone: 'ok' };
      if (p.skipped) return { text: `Không lấy số liệu: ${SKIPPED[p.skipped]}.`, tone: 'error' };
      switch (p.outcome) {
        case 'success': return { text: `Lấy số liệu thành công: nhận ${formatInteger(p.accepted)} dòng.`, tone: 'ok' };
        case 'partial': return { text: `Lấy số liệu được một phần: nhận ${formatInteger(p.accepted)} dòng, loại ${formatInteger(p.rejected)} dòng.`, tone: 'error' };
        case 'failed': return { text: `Lấy số liệu lỗi: ${p.error ?? 'không rõ lý do'}`, tone: 'error' };
        case 'skipped': return { text: `Không lấy số liệu: ${p.error ?? 'bị bỏ qua'}`, tone: 'error' };
      }
    }
  }
}
