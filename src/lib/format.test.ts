import { describe, expect, it } from 'vitest';
import { formatPeriod, formatTime, trendLabel } from './format.ts';

describe('formatTime', () => {
  it('shows an instant in ICT, from ISO 8601 or from PostgreSQL text', () => {
    expect(formatTime('2026-11-22T14:08:00.000Z')).toBe('21:08 22/11');
    expect(formatTime('2026-11-22 14:08:00.123+00')).toBe('21:08 22/11');
    expect(formatTime(null)).toBe('—');
    expect(formatTime('not a time')).toBe('—');
  });
});

describe('formatPeriod', () => {
  it('names every kind of period in Vietnamese', () => {
    expect(formatPeriod('day', '2026-11-20')).toBe('Ngày 20/11/2026');
    expect(formatPeriod('week', '2026-11-16')).toBe('Tuần 47/2026 (16/11 – 22/11)');
    expect(formatPeriod('month', '2026-11-01')).toBe('Tháng 11/2026');
    expect(formatPeriod('quarter', '2026-10-01')).toBe('Quý 4/2026');
    expect(formatPeriod('year', '2026-01-01')).toBe('Năm 2026');
    expect(formatPeriod('report_month', '2026-10-15')).toBe('Kỳ báo cáo tháng 11/2026 (15/10 – 14/11)');
    expect(formatPeriod('report_quarter', '2025-12-15')).toBe('Kỳ báo cáo quý 1/2026 (15/12/2025 – 14/03/2026)');
    expect(formatPeriod('report_year', '2025-12-15')).toBe('Kỳ báo cáo năm 2026 (15/12/2025 – 14/12/2026)');
  });
});

it('names what a trend line covers, in the period kind’s own word', () => {
  expect(trendLabel('month', 12)).toBe('xu hướng 12 tháng gần nhất');
  expect(trendLabel('report_month', 12)).toBe('xu hướng 12 kỳ báo cáo tháng gần nhất');
  expect(trendLabel('week', 12)).toBe('xu hướng 12 tuần gần nhất');
});
