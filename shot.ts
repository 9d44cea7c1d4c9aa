import { launchChromium } from './test/support/browser.ts';
const base = 'http://localhost:3000';
const pages = process.argv.slice(2);
const browser = await launchChromium();
for (const [w, h] of [[1920, 1080], [3840, 2160]] as const) {
  const ctx = await browser.newContext({ viewport: { width: w, height: h }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  const page = await ctx.newPage();
  const user = process.env.SHOT_USER ?? 'admin';
  if (user !== 'none') await page.request.post(`${base}/api/v1/auth/session`, { data: { username: user, password: 'demo' } });
  for (const p of pages) {
    await page.goto(base + p, { waitUntil: 'networkidle' });
    const name = p.replace(/[^a-z0-9]+/gi, '_') || 'root';
    await page.screenshot({ path: `/tmp/shot${name}_${w}.png`, fullPage: process.env.FULL === '1' });
  }
  await ctx.close();
}
await browser.close();
