/**
 * Screenshots kept on request: with the directory in `dir` (a spec's *_SHOTS variable) set, the page at
 * 1920×1080 and 3840×2160 as `<name>-<w>x<h>.png`, then back to 1920×1080; nothing without it.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from '@playwright/test';

export function shooter(dir: string | undefined) {
  return async (page: Page, name: string) => {
    if (!dir) return;
    await mkdir(dir, { recursive: true });
    for (const [w, h] of [[1920, 1080], [3840, 2160]] as const) {
      await page.setViewportSize({ width: w, height: h });
      await page.screenshot({ path: path.join(dir, `${name}-${w}x${h}.png`), fullPage: false });
    }
    await page.setViewportSize({ width: 1920, height: 1080 });
  };
}
