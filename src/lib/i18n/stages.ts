/** Where a poll or a test failed (ERROR_STAGES), in the reader's language: the health cards and the admin screens tell them apart. */
import { m } from '../paraglide/messages.js';
import { getLocale, type Locale } from '../paraglide/runtime.js';

const STAGES: Record<string, (o: { locale: Locale }) => string> = {
  connection: (o) => m.screens_stage_connection({}, o),
  http: (o) => m.screens_stage_http({}, o),
  parse: (o) => m.screens_stage_parse({}, o),
  mapping: (o) => m.screens_stage_mapping({}, o),
  config: (o) => m.screens_stage_config({}, o)
};

/** "Lỗi kết nối", "Lỗi HTTP", "Nội dung không đọc được", "Lỗi ánh xạ", "Lỗi cấu hình" (the stage itself when unknown). */
export function stageName(stage: string, locale: Locale = getLocale()): string {
  const f = Object.hasOwn(STAGES, stage) ? STAGES[stage] : undefined;
  return f ? f({ locale }) : stage;
}

const TRIGGERS: Record<string, (o: { locale: Locale }) => string> = {
  schedule: (o) => m.screens_trigger_schedule({}, o),
  manual: (o) => m.screens_trigger_manual({}, o),
  upload: (o) => m.screens_trigger_upload({}, o),
  gap: (o) => m.screens_trigger_gap({}, o),
  backfill: (o) => m.screens_trigger_backfill({}, o)
};

/** Why a poll ran, in words: "theo lịch", "lấy ngay" … */
export function triggerName(trigger: string, locale: Locale = getLocale()): string {
  const f = Object.hasOwn(TRIGGERS, trigger) ? TRIGGERS[trigger] : undefined;
  return f ? f({ locale }) : trigger;
}

const OUTCOMES: Record<string, (o: { locale: Locale }) => string> = {
  success: (o) => m.screens_outcome_success({}, o),
  partial: (o) => m.screens_outcome_partial({}, o),
  failed: (o) => m.screens_outcome_failed({}, o),
  skipped: (o) => m.screens_outcome_skipped({}, o)
};

/** A poll's outcome, in words with its symbol: "✓ thành công", "! một phần", "✕ lỗi". */
export function outcomeName(outcome: string, locale: Locale = getLocale()): string {
  const f = Object.hasOwn(OUTCOMES, outcome) ? OUTCOMES[outcome] : undefined;
  return f ? f({ locale }) : outcome;
}

/**
 * A stored poll error in the reader's words: the counts the workers store in English ("3 row(s)
 * rejected", older runs) become a message; anything else is shown as stored.
 */
export function errorWords(text: string | null, locale: Locale = getLocale()): string {
  if (!text) return '';
  const rejected = /^(\d+) row\(s\) rejected$/.exec(text.trim());
  if (rejected) return m.screens_rows_rejected({ n: Number(rejected[1]).toLocaleString('vi-VN') }, { locale });
  return text;
}
