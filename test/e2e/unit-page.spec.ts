import { expect, test, type Page } from '@playwright/test';
import { addDays, today } from '../../src/lib/domain/periods.ts';

import { base, signIn, simulator } from './auth.ts';

interface Row { unitCode: string; unitName: string; rank: number | null }

/** A count as the page prints it in vi-VN ("12.345"). */
const count = (text: string) => Number(text.replace(/\./g, ''));
/** The denominator of an indicator on the unit page ("1.234 / 5.678"). */
async function denominator(page: Page, key: string): Promise<number> {
  const text = (await page.locator(`[data-section="indicators"] [data-indicator="${key}"] [data-field="counts"]`).textContent()) ?? '';
  return count(text.split('/')[1]!.trim());
}

test('a district page says where it stands among its siblings, why, what it would take to move up, and stays live', async ({ page }) => {
  await signIn(page.request, 'leader');
  // The district last on the city's board: it has a rank above it to aim at.
  const city = await (await page.request.get(`${base()}/api/v1/rankings?scope=01&period=month&date=${today()}`)).json();
  const ranked = (city.rows as Row[]).filter((r) => r.rank !== null);
  expect(ranked.length).toBeGreaterThan(1);
  const district = ranked.at(-1)!;

  await page.goto(`${base()}/units/${district.unitCode}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(district.unitName);
  await expect(page.locator('[data-connection="live"]')).toBeVisible();

  // Its own row of the city's board: rank among the 30 districts, total, band, and the move in words.
  await expect(page.locator('[data-field="own-rank"]')).toHaveText(new RegExp(`^Hạng \\d+/${ranked.length}$`));
  await expect(page.locator('[data-field="own-total"]')).toHaveText(/^\d+,\d{2}$/);
  await expect(page.locator('[data-field="own-band"]')).toHaveText(/^(Xuất sắc|Tốt|Khá|Trung bình|Yếu)$/);
  await expect(page.locator('[data-field="own-change"]')).toHaveText(/^(Giữ hạng|Tăng \d+ bậc|Giảm \d+ bậc|Chưa có hạng kỳ trước)/);

  // The eight indicators: ratio, numerator / denominator, points / max, rank among the districts; each links to its drill-down.
  const indicators = page.locator('[data-section="indicators"] [data-indicator]');
  await expect(indicators).toHaveCount(8);
  const onTime = page.locator('[data-section="indicators"] [data-indicator="dossier.on_time"]');
  await expect(onTime.locator('[data-field="ratio"]')).toHaveText(/^\d+(,\d)?\s?%$/);
  await expect(onTime.locator('[data-field="counts"]')).toHaveText(/^[\d.]+ \/ [\d.]+$/);
  await expect(onTime.locator('[data-field="points"]')).toHaveText(/^\d+,\d{2} \/ 20$/);
  await expect(onTime.locator('[data-field="rank"]')).toHaveText(/^\d+\/30$/);
  await expect(onTime.getByRole('link')).toHaveAttribute('href', `/units/${district.unitCode}/indicators/dossier.on_time?period=month&date=${today()}`);

  // What it would take: points and concrete counts.
  await expect(page.locator('[data-gap="rank"]')).toHaveText(/^Cần thêm \d+,\d{2} điểm để lên hạng \d+ \(.+\): (\d[\d.]* .+ nữa|không chỉ số nào đủ một mình; .+)$/);

  // The sources behind its figures, each with its state in words and its last success.
  const sources = page.locator('[data-section="sources"] li[data-source]');
  await expect.poll(() => sources.count()).toBeGreaterThanOrEqual(4);
  await expect(page.locator('[data-section="sources"] li[data-source="motcua"]')).toContainText(/Bình thường|Có dòng bị loại|Số liệu cũ|Lỗi kết nối|Tạm ngừng gọi/);
  await expect(page.locator('[data-section="sources"] li[data-source="motcua"]')).toContainText(/cập nhật lúc \d{2}:\d{2}/);

  // The history chart follows the chosen indicator (a URL of its own).
  await page.locator('[data-section="history"] nav').getByRole('link', { name: 'Kích hoạt định danh điện tử' }).click();
  await expect(page).toHaveURL(/indicator=eid\.activation/);
  await expect(page.locator('[data-section="history"] h2')).toHaveText('Kích hoạt định danh điện tử theo ngày (90 ngày)');
  await expect(page.locator('[data-section="history"] .chart svg path[stroke="#5cc8ff"]').first()).toBeAttached();
  await expect(page.locator('[data-connection="live"]')).toBeVisible();

  // A correction arrives at the district system: 3,000 late dossiers today in one of its communes.
  const before = await denominator(page, 'dossier.on_time');
  const totalBefore = (await page.locator('[data-field="own-total"]').textContent())!;
  await page.evaluate(() => ((window as unknown as { marker: string }).marker = 'same page'));
  const communes = await (await page.request.get(`${base()}/api/v1/rankings?scope=${district.unitCode}&period=month&date=${today()}`)).json();
  const commune = (communes.rows as Row[])[0]!.unitCode;
  const r = await fetch(`${simulator()}/_sim/overrides`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ unitCode: commune, date: today(), receivedDelta: 3000, onTimeRate: 0 })
  });
  expect(r.ok).toBe(true);
  try {
    // The next poll recomputes the city's board; its update over Socket.IO moves this unit's own row.
    await expect.poll(() => denominator(page, 'dossier.on_time'), { timeout: 30_000 }).toBeGreaterThanOrEqual(before + 3000);
    await expect(page.locator('[data-field="own-total"]')).not.toHaveText(totalBefore);
    await expect(page.locator('[data-field="own-updated"]')).toHaveText(/^cập nhật \d{2}:\d{2}$/);
    expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe('same page');
  } finally {
    // Back to the simulator's ground truth for whatever runs next.
    await fetch(`${simulator()}/_sim/overrides`, { method: 'DELETE' });
  }
});

test('an officer sees their own district with its gaps, sources and history', async ({ page }) => {
  await signIn(page.request, 'officer-278');
  await page.goto(`${base()}/units/278`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Huyện Thanh Oai');
  await expect(page.locator('[data-field="own-rank"]')).toHaveText(/^Hạng \d+\/30$/);
  await expect(page.locator('[data-gap="rank"]')).toHaveText(/^(Cần thêm \d+,\d{2} điểm để lên hạng \d+ \(.+\): .+|Đang dẫn đầu \(hạng 1\)|Đang đồng hạng 1)$/);
  await expect(page.locator('[data-gap="band"]')).toHaveText(/^(Cần thêm \d+,\d{2} điểm để đạt mức (Xuất sắc|Tốt|Khá|Trung bình): .+|Đã ở mức cao nhất \(Xuất sắc\))$/);
  await expect(page.locator('[data-section="indicators"] [data-indicator]')).toHaveCount(8);
  await expect.poll(() => page.locator('[data-section="sources"] li[data-source]').count()).toBeGreaterThanOrEqual(4);
  // Their own unit: the detail (history) is theirs to see.
  await expect(page.locator('[data-section="history"] .chart svg path[stroke="#5cc8ff"]').first()).toBeAttached();

  // Another district: its standing and gaps are board data, its history is not theirs.
  await page.goto(`${base()}/units/001`);
  await expect(page.locator('[data-field="own-rank"]')).toHaveText(/^Hạng \d+\/30$/);
  await expect(page.locator('[data-gap="rank"]')).toBeVisible();
  await expect(page.locator('[data-section="history"]')).toHaveCount(0);
  await expect(page.locator('[data-detail="hidden"]')).toBeVisible();
});

test('figures corrected at the source after their day are named in the unit’s explanation', async ({ page }) => {
  await signIn(page.request, 'leader');
  // Yesterday's figures of Xã Cự Khê (Thanh Oai) are corrected at the district system today.
  const yesterday = addDays(today(), -1);
  const r = await fetch(`${simulator()}/_sim/overrides`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ unitCode: '10120', date: yesterday, receivedDelta: 40 })
  });
  expect(r.ok).toBe(true);
  try {
    // Each poll re-reads the last three days; the unit page reads arrivals when it loads.
    const arrivals = page.locator('[data-field="late-or-corrected"]');
    await expect
      .poll(async () => {
        await page.goto(`${base()}/units/278?period=day&date=${yesterday}`);
        return (await arrivals.count()) ? await arrivals.textContent() : '';
      }, { timeout: 30_000 })
      .toMatch(/Hồ sơ đúng hạn: \d+ số liệu được sửa sau/);
    // Each names its indicator, with a link to it.
    await expect(arrivals.getByRole('link', { name: 'Hồ sơ đúng hạn' })).toHaveAttribute('href', `/units/278/indicators/dossier.on_time?period=day&date=${yesterday}`);
  } finally {
    await fetch(`${simulator()}/_sim/overrides`, { method: 'DELETE' });
  }
});
