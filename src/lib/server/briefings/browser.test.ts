import { describe, expect, it } from 'vitest';
import { PRINT_CONCURRENCY, PRINT_QUEUE_MAX, PrintQueueFullError, withPrintSlot } from './browser.ts';

describe('print slots', () => {
  it('run two prints at once, queue a few, refuse the next in words, and run the queued ones as slots free', async () => {
    const release: (() => void)[] = [];
    let running = 0;
    let most = 0;
    const print = () =>
      withPrintSlot(async () => {
        most = Math.max(most, ++running);
        await new Promise<void>((resolve) => release.push(resolve));
        running--;
        return 'pdf';
      });
    const accepted = Array.from({ length: PRINT_CONCURRENCY + PRINT_QUEUE_MAX }, print);
    await expect(print()).rejects.toBeInstanceOf(PrintQueueFullError);
    expect(release).toHaveLength(PRINT_CONCURRENCY);
    // Each finished print lets one waiting print start.
    while (release.length) {
      release.shift()!();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await Promise.all(accepted)).toEqual(accepted.map(() => 'pdf'));
    expect(most).toBe(PRINT_CONCURRENCY);
  });
});
