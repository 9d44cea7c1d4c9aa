/**
 * A mapping that never ends, tried with "test connection" on the production build of the web
 * server (issue 17, item 3): the answer says in words that it was stopped after 5 s, and the web
 * answers everyone else quickly all along (the mapping runs in a helper process of its own, which
 * the Vite-built server must find and start just as tsx does).
 */
import { expect, test } from '@playwright/test';
import postgres from 'postgres';
import { base, signIn } from './auth.ts';

const ENDLESS = '($f := function($n){ $f($n+1) }; $f(0))';

test('test connection with an endless mapping is stopped after 5 s, in words, while the web keeps answering', async ({ page }) => {
  await signIn(page.request, 'admin');
  await page.goto(`${base()}/admin/sources/motcua`);
  const mapping = page.getByLabel(/^Ánh xạ/);
  const saved = await mapping.inputValue();
  expect(saved).toContain('duLieu');
  await mapping.fill(ENDLESS);
  // The test product polls every 2 s, below what the form accepts: the form's own values (nothing is saved).
  const acceptable = async () => {
    await page.getByLabel('Chu kỳ gọi (giây)', { exact: true }).fill('60');
    await page.getByLabel('Cũ sau (giây)', { exact: true }).fill('900');
  };
  await acceptable();

  // Another person's requests while the test runs: each answered at once.
  let testing = true;
  const others: number[] = [];
  const other = (async () => {
    while (testing) {
      const t0 = performance.now();
      const r = await fetch(`${base()}/healthz`, { signal: AbortSignal.timeout(4_000) });
      expect(r.status).toBe(200);
      others.push(performance.now() - t0);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  })();

  const t0 = performance.now();
  await page.getByRole('button', { name: 'Kiểm tra kết nối (không lưu)' }).click();
  const result = page.locator('[data-test-result]');
  await expect(result).toHaveAttribute('data-test-result', 'failed', { timeout: 20_000 });
  const took = performance.now() - t0;
  testing = false;
  await other;
  await expect(result).toContainText('phép ánh xạ chạy quá 5 giây và đã bị dừng');
  expect(took).toBeGreaterThanOrEqual(5_000);
  // The other requests went through while the mapping ran, none waiting on it.
  expect(others.length).toBeGreaterThanOrEqual(8);
  expect(Math.max(...others)).toBeLessThan(1_500);

  // Nothing was stored: the source keeps its mapping, and the web still tests the good one.
  const sql = postgres(process.env.E2E_DATABASE_URL!, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<{ expression: string }[]>`select mapping->>'expression' as expression from data_sources where key = 'motcua'`;
    expect(row!.expression).toContain('duLieu');
  } finally {
    await sql.end();
  }
  await page.goto(`${base()}/admin/sources/motcua`);
  await acceptable();
  await page.getByRole('button', { name: 'Kiểm tra kết nối (không lưu)' }).click();
  await expect(page.locator('[data-test-result]')).toHaveAttribute('data-test-result', 'ok');
});
