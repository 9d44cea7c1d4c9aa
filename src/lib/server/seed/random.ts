/** Deterministic randomness: the same seed and key give the same number on every machine. */

/** FNV-1a, 32 bits. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A uniform number in [0, 1) for a key. */
export function uniform(...key: (string | number)[]): number {
  let t = hash32(key.join('|')) + 0x6d2b79f5;
  // mulberry32 finaliser
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** A standard normal number for a key (Box–Muller). */
export function normal(...key: (string | number)[]): number {
  const u = Math.max(uniform(...key, 'u'), 1e-12);
  const v = uniform(...key, 'v');
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export function between(lo: number, hi: number, ...key: (string | number)[]): number {
  return lo + (hi - lo) * uniform(...key);
}
