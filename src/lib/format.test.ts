import { describe, expect, it } from 'vitest';
import { formatInteger, formatPeriod, formatPoints, formatTime, rankChange, trendLabel } from './format.ts';

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

describe('in English', () => {
  it('names periods in English words, with the vi-VN date formats kept', () => {
    expect(formatPeriod('day', '2026-11-20', 'en')).toBe('Day 20/11/2026');
    expect(formatPeriod('week', '2026-11-16', 'en')).toBe('Week 47/2026 (16/11 – 22/11)');
    expect(formatPeriod('month', '2026-11-01', 'en')).toBe('Month 11/2026');
    expect(formatPeriod('quarter', '2026-10-01', 'en')).toBe('Quarter 4/2026');
    expect(formatPeriod('year', '2026-01-01', 'en')).toBe('Year 2026');
    expect(formatPeriod('report_month', '2026-10-15', 'en')).toBe('Reporting month 11/2026 (15/10 – 14/11)');
    expect(formatPeriod('report_quarter', '2025-12-15', 'en')).toBe('Reporting quarter 1/2026 (15/12/2025 – 14/03/2026)');
    expect(formatPeriod('report_year', '2025-12-15', 'en')).toBe('Reporting year 2026 (15/12/2025 – 14/12/2026)');
  });

  it('says rank changes and trends in English, one place or many', () => {
    expect(rankChange(2, 5, 'en')).toEqual({ text: '▲ 3', label: 'up 3 places', dir: 'up' });
    expect(rankChange(4, 3, 'en')).toEqual({ text: '▼ 1', label: 'down 1 place', dir: 'down' });
    expect(rankChange(4, 4, 'en')).toEqual({ text: '=', label: 'unchanged', dir: 'same' });
    expect(rankChange(4, null, 'en')).toEqual({ text: 'new', label: 'no rank in the previous period', dir: 'new' });
    expect(rankChange(2, 5)).toEqual({ text: '▲ 3', label: 'tăng 3 bậc', dir: 'up' });
    expect(trendLabel('month', 12, 'en')).toBe('trend over the last 12 months');
    expect(trendLabel('report_month', 12, 'en')).toBe('trend over the last 12 reporting months');
  });

  it('keeps the vi-VN number formats', () => {
    expect(formatInteger(1234567)).toBe('1.234.567');
    expect(formatPoints(3.2)).toBe('3,20');
  });
});
