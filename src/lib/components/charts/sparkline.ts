/**
 * A KPI tile's trend line as an SVG path: a dozen points do not need a chart library, and a plain
 * path is crisp at any size and repaints without flicker. A period with no data is a gap.
 */
export interface SparklineShape {
  /** SVG path data ("M x y L x y …"); a gap starts a new "M". Empty when there is nothing to draw. */
  d: string;
  /** The newest point with data (drawn as a dot), or null. */
  last: { x: number; y: number } | null;
}

/**
 * `minSpan`: the smallest value range the height stands for (0.1 = 10 percentage points for a ratio),
 * so a wobble of 0.3 points is not drawn as a cliff.
 */
export function sparkline(values: readonly (number | null)[], width: number, height: number, pad = 2, minSpan = 0): SparklineShape {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (present.length === 0) return { d: '', last: null };
  let lo = Math.min(...present);
  let hi = Math.max(...present);
  const span = Math.max(hi - lo, minSpan, 1e-9);
  if (span > hi - lo) {
    // Widen around the middle: a flat or nearly flat series sits mid-height.
    const mid = (hi + lo) / 2;
    lo = mid - span / 2;
    hi = mid + span / 2;
  }
  const step = values.length > 1 ? (width - 2 * pad) / (values.length - 1) : 0;
  const y = (v: number) => pad + (height - 2 * pad) * (1 - (v - lo) / (hi - lo));
  const parts: string[] = [];
  let penDown = false;
  let last: SparklineShape['last'] = null;
  values.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) {
      penDown = false;
      return;
    }
    const px = Math.round((pad + i * step) * 100) / 100;
    const py = Math.round(y(v) * 100) / 100;
    parts.push(`${penDown ? 'L' : 'M'}${px} ${py}`);
    penDown = true;
    last = { x: px, y: py };
  });
  return { d: parts.join(' '), last };
}
