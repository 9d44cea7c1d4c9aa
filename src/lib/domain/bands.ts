/** Rating bands of a scheme (Xuất sắc / Tốt / Khá / Trung bình / Yếu by default, configurable). */
export interface Band {
  name: string;
  /** A total at or above this earns the band. */
  min: number;
}

export const DEFAULT_BANDS: readonly Band[] = [
  { name: 'Xuất sắc', min: 90 },
  { name: 'Tốt', min: 80 },
  { name: 'Khá', min: 65 },
  { name: 'Trung bình', min: 50 },
  { name: 'Yếu', min: 0 }
];

/** The band of a total: the first (best) band whose minimum it reaches; none for an unranked unit. */
export function bandOf(total: number | null, bands: readonly Band[]): string | null {
  if (total === null) return null;
  const sorted = [...bands].sort((a, b) => b.min - a.min);
  return sorted.find((b) => total >= b.min)?.name ?? null;
}

/** A band's place, best first (0 = the best band): what its colour on the map and the wall follows, whatever it is called. */
export function bandIndex(name: string | null, bands: readonly Band[]): number | null {
  if (name === null) return null;
  const i = [...bands].sort((a, b) => b.min - a.min).findIndex((b) => b.name === name);
  return i < 0 ? null : i;
}
