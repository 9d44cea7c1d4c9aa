/** What every bench shares: a timer and the printed table (labels wrapped beyond 110 characters). */
export async function time<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - t0 };
}

export function printTable(title: string, rows: [string, string][]): void {
  const width = Math.min(110, Math.max(...rows.map(([k]) => k.length)));
  console.log(`\n${title}\n`);
  for (const [k, v] of rows) console.log(k.length > width ? `${k}\n${' '.repeat(width)}  ${v}` : `${k.padEnd(width)}  ${v}`);
}
