/**
 * The demo is Hà Nội today (issue 14): the city's 126 communes and its departments since 01/07/2025,
 * its 30 districts before; the demo's officers belong to a commune and a department, and land on it.
 */
import { expect, test } from '@playwright/test';
import { base, signIn } from './auth.ts';

for (const who of [
  { username: 'officer-thanh-oai', code: '10114', name: 'Xã Thanh Oai' },
  { username: 'officer-so-noi-vu', code: '01-S02', name: 'Sở Nội vụ' }
]) {
  test(`${who.username} signs in and lands on ${who.name}`, async ({ page }) => {
    await page.goto(`${base()}/login`);
    await page.locator('input[name="username"]').fill(who.username);
    await page.locator('input[name="password"]').fill('demo');
    await page.locator('button[type="submit"]').click();
    await expect(page).toHaveURL(`${base()}/units/${who.code}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(who.name);
  });
}

test("the city's board: 126 communes and the departments since the reform, the 30 districts before", async ({ page }) => {
  await signIn(page.request, 'leader');
  const now = await (await page.request.get(`${base()}/api/v1/rankings?scope=01&period=month`)).json();
  expect(now.groups.map((g: { level: string; count: number }) => [g.level, g.count])).toEqual([['commune', 126], ['department', 19]]);
  expect(now.rows.filter((r: { unitLevel: string; rank: number | null }) => r.unitLevel === 'department' && r.rank !== null).length).toBe(19);
  const june = await (await page.request.get(`${base()}/api/v1/rankings?scope=01&period=month&date=2025-06-15`)).json();
  expect(june.groups.map((g: { level: string; count: number }) => [g.level, g.count])).toEqual([['district', 30]]);
});
