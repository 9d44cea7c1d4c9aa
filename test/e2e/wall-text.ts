/**
 * The wall's rule of issue 16, read from the screen itself: every text node on the wall — header,
 * scene and footer — at least 24 px on 1920×1080, 48 px on 3840×2160, legible from 5 m.
 */
import { expect, type Page } from '@playwright/test';

/** The floor of the wall's type at a screen width: 24 px on 1080p, 48 px on 2160p. */
export const floorPx = (width: number) => (width >= 3840 ? 48 : 24);

/** Every visible text node on the wall (or the page, outside it), with its rendered font size. */
export async function wallTexts(page: Page): Promise<{ px: number; text: string; where: string }[]> {
  return page.evaluate(() => {
    const out: { px: number; text: string; where: string }[] = [];
    const root = document.querySelector('.wall') ?? document.body;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = n.textContent!.trim();
      const el = n.parentElement!;
      if (!text || !el.getClientRects().length) continue;
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden') continue;
      const where = el.closest('.frame > header') ? 'header' : el.closest('.frame > footer') ? 'footer' : 'scene';
      out.push({ px: parseFloat(style.fontSize), text: text.slice(0, 50), where });
    }
    return out;
  });
}

/**
 * Fails on any text smaller than the floor, naming each ("13.2 px in the scene: "#85 · Khá""); the
 * header, the scene and the footer must each have been walked.
 */
export async function expectLegible(page: Page, width: number, what: string) {
  const texts = await wallTexts(page);
  const small = texts.filter((t) => t.px < floorPx(width) - 0.01).map((t) => `${t.px.toFixed(1)} px in the ${t.where}: "${t.text}"`);
  expect(small, `texts under ${floorPx(width)} px on ${what}`).toEqual([]);
  for (const part of ['header', 'scene', 'footer']) expect(texts.some((t) => t.where === part), `${part} walked on ${what}`).toBe(true);
  return texts;
}
