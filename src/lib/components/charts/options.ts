/** Pure ECharts option builders (unit-tested; the action only applies them). */
import type { Series } from '#contract/dto';

/**
 * `fontSize` follows the page's root size, so labels stay readable on a 4K screen; `labels` are the
 * words in the reader's language (Vietnamese by default).
 */
export function ratioHistoryOption(series: Series, fontSize = 12, labels: { noData: string; name?: string } = { noData: 'không có dữ liệu' }) {
  return {
    animation: false,
    textStyle: { fontSize },
    grid: { left: fontSize * 4, right: fontSize * 1.5, top: fontSize * 2, bottom: fontSize * 2.6 },
    tooltip: {
      trigger: 'axis',
      valueFormatter: (v: unknown) => (typeof v === 'number' ? `${v.toLocaleString('vi-VN', { maximumFractionDigits: 1 })} %` : labels.noData)
    },
    xAxis: { type: 'category', data: series.points.map((p) => p.date.slice(8, 10) + '/' + p.date.slice(5, 7)), axisLabel: { color: '#9fb0c3', fontSize } },
    yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value} %', color: '#9fb0c3', fontSize }, splitLine: { lineStyle: { color: '#24313f' } } },
    series: [
      {
        name: labels.name ?? series.indicator.nameVi,
        type: 'line',
        connectNulls: false,
        showSymbol: false,
        lineStyle: { width: 2, color: '#5cc8ff' },
        areaStyle: { color: 'rgba(92,200,255,0.12)' },
        // Days without dossiers (Sundays, holidays) are gaps, not 0 %.
        data: series.points.map((p) => (p.ratio === null ? null : Math.round(p.ratio * 1000) / 10))
      }
    ]
  };
}
