/**
 * Burn-in care: the whole wall layout moves by a few pixels, one step a minute, along a slow loop
 * (a Lissajous figure), so no edge or letter stays on the same pixels all day. The offset stays
 * within ±`amplitude` px, and the layout keeps that margin free, so nothing is ever cut off.
 */
export function driftAt(minutes: number, amplitude = 4): { x: number; y: number } {
  const step = Math.floor(minutes);
  // Periods of 24 and 34 minutes: the path repeats only every 408 minutes.
  const x = Math.round(amplitude * Math.sin((2 * Math.PI * step) / 24));
  const y = Math.round(amplitude * Math.sin((2 * Math.PI * step) / 34));
  return { x, y };
}
