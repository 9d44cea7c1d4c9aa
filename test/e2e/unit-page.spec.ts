import { expect, test, type Page } from '@playwright/test';
import { addDays, today } from '../../src/lib/domain/periods.ts';

import { base, signIn, simulator } from './auth.ts';

interface Row { unitCode: string; unitName: string; unitLevel: string; rank: number | null }

/** A count as the page prints it in vi-VN ("12.345"). */
const count = (text: string) => Number(text.replace(/\./g, ''));
/** The denominator of an indicator on the unit page ("1.234 / 5.678"). */
async function denominator(page: Page, key: string): Promise<number> {
  const text = (await page.locator(`[data-section="indicators"] [data-indicator="${key}"] [data-field="counts"]`).textContent()) ?? '';
  return count(text.split('/')[1]!.trim());
}

test('a commune page says where it stands among the communes, why, what it would take to move up, and stays live', async ({ page }) => {
  await signIn(page.request, 'leader');
  // The commune last on the city's board: it has a rank above it to aim at (ranks are among the communes).
  const city = await (await page.request.get(`${base()}/api/v1/rankings?scope=01&period=month&date=${today()}`)).json();
  const ranked = (city.rows as Row[]).filter((r) => r.rank !== null && r.unitLevel === 'commune');
  expect(ranked.length).toBeGreaterThan(100);
  const commune = ranked.at(-1)!;

  await page.goto(`${base()}/units/${commune.unitCode}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(commune.unitName);
  await expect(page.locator('[data-connection="live"]')).toBeVisible();

  // Its own row of the city's board: rank among the communes (not the departments), total, band, and the move in words.
  await expect(page.locator('[data-field="own-rank"]')).toHaveText(new RegExp(`^Hạng \\d+/${ranked.length}$`));
  await expect(page.locator('[data-field="own-total"]')).toHaveText(/^\d+,\d{2}$/);
  await expect(page.locator('[data-field="own-band"]')).toHaveText(/^(Xuất sắc|Tốt|Khá|Trung bình|Yếu)$/);
  await expect(page.locator('[data-field="own-change"]')).toHaveText(/^(Giữ hạng|Tăng \d+ bậc|Giảm \d+ bậc|Chưa có hạng kỳ trước)/);

  // The eight indicators: ratio, numerator / denominator, points / max, rank among the communes; each links to its drill-down.
  const indicators = page.locator('[data-section="indicators"] [data-indicator]');
  await expect(indicators).toHaveCount(8);
  const onTime = page.locator('[data-section="indicators"] [data-indicator="dossier.on_time"]');
  await expect(onTime.locator('[data-field="ratio"]')).toHaveText(/^\d+(,\d)?\s?%$/);
  await expect(onTime.locator('[data-field="counts"]')).toHaveText(/^[\d.]+ \/ [\d.]+$/);
  await expect(onTime.locator('[data-field="points"]')).toHaveText(/^\d+,\d{2} \/ 20$/);
  await expect(onTime.locator('[data-field="rank"]')).toHaveText(/^\d+\/12\d$/);
  await expect(onTime.getByRole('link')).toHaveAttribute('href', `/units/${commune.unitCode}/indicators/dossier.on_time?period=month&date=${today()}`);
  // Its siblings: a window around it (last: the ones above it, and the first), not the 126.
  const siblings = page.locator('[data-section="siblings"] li[data-unit]');
  await expect(siblings.first().locator('.rank')).toHaveText('1');
  await expect(siblings.last()).toHaveAttribute('data-unit', commune.unitCode);
  expect(await siblings.count()).toBeLessThanOrEqual(9);

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

  // A correction arrives at the one-stop-shop system: 3,000 late dossiers today in this commune.
  const before = await denominator(page, 'dossier.on_time');
  const totalBefore = (await page.locator('[data-field="own-total"]').textContent())!;
  await page.evaluate(() => ((window as unknown as { marker: string }).marker = 'same page'));
  const r = await fetch(`${simulator()}/_sim/overrides`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ unitCode: commune.unitCode, date: today(), receivedDelta: 3000, onTimeRate: 0 })
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

test('a commune officer signs in and lands on their commune: its standing among the communes, its gaps, sources, history and lineage; another commune shows its board data only', async ({ page }) => {
  // As a person does: the sign-in form, then straight to their own unit.
  await page.goto(`${base()}/login`);
  await page.getByLabel('Tên đăng nhập').fill('officer-thanh-oai');
  await page.getByLabel('Mật khẩu').fill('demo');
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await expect(page).toHaveURL(`${base()}/units/10114`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Xã Thanh Oai');
  await expect(page.locator('[data-field="own-rank"]')).toHaveText(/^Hạng \d+\/12\d$/);
  await expect(page.locator('[data-gap="rank"]')).toHaveText(/^(Cần thêm \d+,\d{2} điểm để lên hạng \d+ \(.+\): .+|Đang dẫn đầu \(hạng 1\)|Đang đồng hạng 1)$/);
  await expect(page.locator('[data-gap="band"]')).toHaveText(/^(Cần thêm \d+,\d{2} điểm để đạt mức (Xuất sắc|Tốt|Khá|Trung bình): .+|Đã ở mức cao nhất \(Xuất sắc\))$/);
  await expect(page.locator('[data-section="indicators"] [data-indicator]')).toHaveCount(8);
  // At the top: its weakest indicator (the worst rank among the communes of the eight shown below) and what lifts it most.
  const weakest = page.locator('[data-field="focus"] [data-focus="weakest"]');
  await expect(weakest).toHaveText(/^Yếu nhất: .+, hạng \d+\/12\d \(\d+,\d{2}\/\d+ điểm\)$/);
  const places = await page.locator('[data-section="indicators"] [data-indicator]').evaluateAll((rows) =>
    rows.map((r) => {
      const [rank, of] = (r.querySelector('[data-field="rank"]')?.textContent ?? '').split('/').map(Number);
      return { key: r.getAttribute('data-indicator'), place: rank! / of! };
    }).filter((p) => Number.isFinite(p.place)));
  const worst = Math.max(...places.map((p) => p.place));
  const weakestKey = await weakest.getAttribute('data-indicator');
  expect(places.find((p) => p.key === weakestKey)?.place).toBe(worst);
  await expect(page.locator('[data-field="focus"] [data-focus="lift"]')).toHaveText(/^Nâng tổng điểm nhiều nhất: .+, thêm [\d.]+ .+ nữa được \+\d+,\d{2} điểm \(tổng \d+,\d{2}\), (lên|vẫn) hạng \d+$/);
  await expect.poll(() => page.locator('[data-section="sources"] li[data-source]').count()).toBeGreaterThanOrEqual(4);
  await expect(page.locator('[data-section="siblings"] li[aria-current="true"]')).toHaveAttribute('data-unit', '10114');
  await expect(page.locator('[data-section="lineage"] li[data-predecessor="10114"]')).toContainText('Thị trấn Kim Bài');
  // Their own unit: the detail (history) is theirs to see.
  await expect(page.locator('[data-section="history"] .chart svg path[stroke="#5cc8ff"]').first()).toBeAttached();
  await expect(page.locator('header').getByRole('link', { name: 'Đơn vị của tôi' })).toHaveAttribute('href', '/units/10114');

  // Another commune: its standing and gaps are board data, its history is not theirs.
  await page.goto(`${base()}/units/00004`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Phường Ba Đình');
  await expect(page.locator('[data-field="own-rank"]')).toHaveText(/^Hạng \d+\/12\d$/);
  await expect(page.locator('[data-gap="rank"]')).toBeVisible();
  await expect(page.locator('[data-section="history"]')).toHaveCount(0);
  await expect(page.locator('[data-detail="hidden"]')).toBeVisible();
});

test('a department officer lands on their department, on the reporting month they are judged by, ranked among the departments only', async ({ page }) => {
  await signIn(page.request, 'officer-so-noi-vu');
  const city = await (await page.request.get(`${base()}/api/v1/rankings?scope=01&period=report_month&date=${today()}`)).json();
  const departments = (city.rows as Row[]).filter((r) => r.unitLevel === 'department' && r.rank !== null).length;
  await page.goto(`${base()}/units/01-S02`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sở Nội vụ');
  // OFFICER_PERIOD (default report_month): the 15th to the 14th, as Decree 09 reports.
  const [from, to] = [city.period.start as string, city.period.end as string].map((d) => `${d.slice(8, 10)}/${d.slice(5, 7)}`);
  await expect(page.locator('.head .sub')).toContainText(`(${from} – ${to})`);
  await expect(page.locator('[data-field="own-rank"]')).toHaveText(new RegExp(`^Hạng \\d+/${departments}$`));
  await expect(page.locator('[data-section="siblings"] h2')).toHaveText(/^Giữa \d+ sở, .+ của Thành phố Hà Nội$/);
  await expect(page.locator('[data-section="history"] .chart svg path[stroke="#5cc8ff"]').first()).toBeAttached();
});

test('figures corrected at the source after their day are named in the unit’s explanation', async ({ page }) => {
  await signIn(page.request, 'leader');
  // Yesterday's figures of Xã Thanh Oai are corrected at the one-stop-shop system today.
  const yesterday = addDays(today(), -1);
  const r = await fetch(`${simulator()}/_sim/overrides`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ unitCode: '10114', date: yesterday, receivedDelta: 40 })
  });
  expect(r.ok).toBe(true);
  try {
    // Each poll re-reads the last three days; the unit page reads arrivals when it loads.
    const arrivals = page.locator('[data-field="late-or-corrected"]');
    await expect
      .poll(async () => {
        await page.goto(`${base()}/units/10114?period=day&date=${yesterday}`);
        return (await arrivals.count()) ? await arrivals.textContent() : '';
      }, { timeout: 30_000 })
      .toMatch(/Hồ sơ đúng hạn: \d+ số liệu được sửa sau/);
    // Each names its indicator, with a link to it.
    await expect(arrivals.getByRole('link', { name: 'Hồ sơ đúng hạn' })).toHaveAttribute('href', `/units/10114/indicators/dossier.on_time?period=day&date=${yesterday}`);
  } finally {
    await fetch(`${simulator()}/_sim/overrides`, { method: 'DELETE' });
  }
});
