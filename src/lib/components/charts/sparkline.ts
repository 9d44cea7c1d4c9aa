/**
 * A KPI tile's trend line as an SVG path: a dozen points do not need a chart library, and a plain
 * path is crisp at any size and repaints without flicker. A period with no data is a gap.
 *
 * The line shows its scale (issue 16): the value range its height stands for is returned (`lo`,
 * `hi`), so the tile labels its top and bottom — a flat series does not pass for a steep one. With
 * `nice`, that range is widened to round steps (65 %–80 %, not 68,9 %–78,9 %).
 */
export interface SparklineShape {
  /** SVG path data ("M x y L x y …"); a gap starts a new "M". Empty when there is nothing to draw. */
  d: string;
  /** The newest point with data (drawn as a dot), or null. */
  last: { x: number; y: number } | null;
  /**
   * With `partialLast`: the segment into the newest point, apart from `d` (drawn dashed: a period in
   * progress, so a month two days old is not read as a fall); '' otherwise.
   */
  tail: string;
  /** The values at the bottom and the top of the box (null: nothing drawn). */
  lo: number | null;
  hi: number | null;
  /** The rounding step of `lo` and `hi` (with `nice`; else null): how many decimals their labels need. */
  step: number | null;
}

export interface SparklineScale {
  /** Round the range out to steps of 1, 2 or 5 × 10ⁿ. */
  nice?: boolean;
  /** The values can never leave this range (a ratio: 0…1): the scale is shifted inside it. */
  bounds?: readonly [number, number];
  /** The last value is a period still in progress: its segment is returned apart, as `tail`. */
  partialLast?: boolean;
}

/** The round step (1, 2 or 5 × 10ⁿ) at or above `x`. */
export function niceStep(x: number): number {
  const p = 10 ** Math.floor(Math.log10(x));
  const f = x / p;
  return (f <= 1 + 1e-9 ? 1 : f <= 2 + 1e-9 ? 2 : f <= 5 + 1e-9 ? 5 : 10) * p;
}

const tidy = (v: number) => Math.round(v * 1e9) / 1e9;

/**
 * `minSpan`: the smallest value range the height stands for (0.1 = 10 percentage points for a ratio),
 * so a wobble of 0.3 points is not drawn as a cliff.
 */
export function sparkline(values: readonly (number | null)[], width: number, height: number, pad = 2, minSpan = 0, scale: SparklineScale = {}): SparklineShape {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (present.length === 0) return { d: '', last: null, tail: '', lo: null, hi: null, step: null };
  let lo = Math.min(...present);
  let hi = Math.max(...present);
  const span = Math.max(hi - lo, minSpan, 1e-9);
  if (span > hi - lo) {
    // Widen around the middle: a flat or nearly flat series sits mid-height.
    const mid = (hi + lo) / 2;
    lo = mid - span / 2;
    hi = mid + span / 2;
  }
  const within = () => {
    if (!scale.bounds) return;
    const [min, max] = scale.bounds;
    // Shifted inside the bounds, keeping its span where it can: 95 %–105 % becomes 90 %–100 %.
    if (lo < min) [lo, hi] = [min, Math.min(max, tidy(hi + (min - lo)))];
    if (hi > max) [lo, hi] = [Math.max(min, tidy(lo - (hi - max))), max];
  };
  within();
  let step: number | null = null;
  if (scale.nice) {
    step = niceStep(span / 2);
    lo = tidy(Math.floor(tidy(lo / step)) * step);
    hi = tidy(Math.ceil(tidy(hi / step)) * step);
    within();
  }
  const dx = values.length > 1 ? (width - 2 * pad) / (values.length - 1) : 0;
  const y = (v: number) => pad + (height - 2 * pad) * (1 - (v - lo) / (hi - lo));
  const parts: string[] = [];
  let penDown = false;
  let last: SparklineShape['last'] = null;
  values.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) {
      penDown = false;
      return;
    }
    const px = Math.round((pad + i * dx) * 100) / 100;
    const py = Math.round(y(v) * 100) / 100;
    parts.push(`${penDown ? 'L' : 'M'}${px} ${py}`);
    penDown = true;
    last = { x: px, y: py };
  });
  const lastValue = values.at(-1);
  if (scale.partialLast && lastValue !== null && lastValue !== undefined && parts.at(-1)?.startsWith('L')) {
    const end = parts.pop()!;
    const tail = `M${parts.at(-1)!.slice(1)} L${end.slice(1)}`;
    return { d: parts.join(' '), last, tail, lo, hi, step };
  }
  return { d: parts.join(' '), last, tail: '', lo, hi, step };
}
