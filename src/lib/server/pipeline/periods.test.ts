import { describe, expect, it } from 'vitest';
import { boardsOfChangedPeriods, periodPieces, periodWords, sourcePeriods } from './periods.ts';
import { backfillWindows } from './source-backfill.ts';
import { piecesOf, pollWindow } from './poll.ts';

describe('a periodic source asks once per period', () => {
  it('cuts a poll window into every month, quarter and year it overlaps, oldest first', () => {
    const pieces = periodPieces({ from: '2026-10-24', to: '2026-12-02' }, ['month', 'quarter', 'year']);
    expect(pieces.map((p) => `${p.period.kind} ${p.from} ${p.to}`)).toEqual([
      'year 2026-01-01 2026-12-31',
      'month 2026-10-01 2026-10-31',
      'quarter 2026-10-01 2026-12-31',
      'month 2026-11-01 2026-11-30',
      'month 2026-12-01 2026-12-31'
    ]);
    for (const p of pieces) expect([p.period.start, p.period.end]).toEqual([p.from, p.to]);
  });

  it('crosses a year: both years, both quarters', () => {
    const pieces = periodPieces({ from: '2026-12-02', to: '2027-01-10' }, ['year', 'month', 'quarter']);
    expect(pieces.map((p) => `${p.period.kind} ${p.from}`)).toEqual([
      'year 2026-01-01', 'quarter 2026-10-01', 'month 2026-12-01', 'month 2027-01-01', 'quarter 2027-01-01', 'year 2027-01-01'
    ]);
  });

  it('asks only for the kinds the source publishes', () => {
    expect(periodPieces({ from: '2026-01-15', to: '2026-07-02' }, ['quarter']).map((p) => p.from)).toEqual(['2026-01-01', '2026-04-01', '2026-07-01']);
  });

  it('keeps a window that already is one period (a backfill job piece) as it is', () => {
    const period = { kind: 'quarter' as const, start: '2026-07-01', end: '2026-09-30' };
    expect(periodPieces({ from: '2026-07-01', to: '2026-09-30', period }, ['month', 'quarter', 'year'])).toEqual([{ from: '2026-07-01', to: '2026-09-30', period }]);
    expect(piecesOf({ granularity: 'day', periods: ['month', 'quarter', 'year'] }, { from: '2026-07-01', to: '2026-09-30', period })).toHaveLength(1);
  });

  it('a source without periods keeps its pieces of days or months', () => {
    expect(piecesOf({ granularity: 'day', periods: null }, { from: '2026-01-01', to: '2026-02-15' }).map((p) => [p.from, p.to])).toEqual([
      ['2026-01-01', '2026-01-31'], ['2026-02-01', '2026-02-15']
    ]);
    expect(backfillWindows('day', { from: '2026-01-01', to: '2026-02-15' })).toHaveLength(2);
    expect(backfillWindows('day', { from: '2026-01-01', to: '2026-02-15' }, ['month', 'quarter', 'year']).map((w) => w.period?.kind)).toEqual(['month', 'quarter', 'year', 'month']);
  });

  it('reads the trailing days of a periodic source without widening them to months', () => {
    expect(pollWindow({ trailingDays: 40, granularity: 'month', periods: ['month'] }, null, '2026-12-02')).toEqual({ from: '2026-10-24', to: '2026-12-02', gap: false });
    expect(pollWindow({ trailingDays: 40, granularity: 'month', periods: null }, null, '2026-12-02').from).toBe('2026-10-01');
  });

  it('reads the kinds of a stored source in order, null when there are none', () => {
    expect(sourcePeriods(['year', 'month', 'month', 'quarter'])).toEqual(['month', 'quarter', 'year']);
    expect(sourcePeriods([])).toBeNull();
    expect(sourcePeriods(null)).toBeNull();
    expect(sourcePeriods(['week'])).toBeNull();
  });
});

describe('the boards a changed period value moves', () => {
  it('a month moves its own board and those of its quarter and year; a year only its own', () => {
    expect(boardsOfChangedPeriods([{ kind: 'month', start: '2026-11-01' }])).toEqual([
      { kind: 'year', start: '2026-01-01', end: '2026-12-31' },
      { kind: 'quarter', start: '2026-10-01', end: '2026-12-31' },
      { kind: 'month', start: '2026-11-01', end: '2026-11-30' }
    ].sort((a, b) => a.start.localeCompare(b.start)));
    expect(boardsOfChangedPeriods([{ kind: 'year', start: '2026-01-01' }])).toEqual([{ kind: 'year', start: '2026-01-01', end: '2026-12-31' }]);
  });

  it('names each board once', () => {
    const boards = boardsOfChangedPeriods([{ kind: 'month', start: '2026-10-01' }, { kind: 'month', start: '2026-11-01' }, { kind: 'quarter', start: '2026-10-01' }]);
    expect(boards.map((b) => `${b.kind} ${b.start}`)).toEqual(['year 2026-01-01', 'month 2026-10-01', 'quarter 2026-10-01', 'month 2026-11-01']);
  });
});

describe('periods in words', () => {
  it('says the month, the quarter, the year', () => {
    expect(periodWords({ kind: 'month', start: '2026-11-01' })).toBe('tháng 11/2026');
    expect(periodWords({ kind: 'quarter', start: '2026-07-01' })).toBe('quý 3/2026');
    expect(periodWords({ kind: 'year', start: '2026-01-01' })).toBe('năm 2026');
  });
});
