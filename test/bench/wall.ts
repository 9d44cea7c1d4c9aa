/**
 * The wall page in Chromium against the production build: the JavaScript and CSS it loads
 * (gzip, as served over the wire by a compressing proxy) and the time from navigation to the
 * first ranked board — painted (server-rendered) and live (hydrated, socket connected).
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { Sql } from '../../db/client.ts';
import { launchChromium } from '../support/browser.ts';
import { freePort } from '../support/ports.ts';

/**
 * When the first ranked row and the live marker appear, noted by the page itself from its first byte.
 * A string, not a function: tsx would wrap a function's inner names in a helper the page lacks.
 */
const MARKS = `
      window.__marks = {};
      new MutationObserver(() => {
        const marks = window.__marks;
        if (!marks.board && document.querySelector('.wallboard li[data-unit]')) marks.board = performance.now();
        if (!marks.live && document.querySelector('[data-connection="live"]')) marks.live = performance.now();
      }).observe(document, { subtree: true, childList: true, attributes: true });
`;

export async function benchWall(sql: Sql, databaseUrl: string): Promise<[string, string][]> {
  if (!existsSync('build/handler.js')) {
    const build = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
    if (build.status !== 0) throw new Error('the production build failed');
  }
  const port = await freePort();
  const web = spawn(process.execPath, ['src/server.js'], { env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: databaseUrl }, stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const onData = (c: Buffer) => {
      out += c.toString();
      if (out.includes('web: http://')) resolve();
    };
    web.stdout!.on('data', onData);
    web.stderr!.on('data', onData);
    web.once('exit', (code) => reject(new Error(`web exited (${code}): ${out}`)));
  });
  const token = randomBytes(32).toString('base64url');
  await sql`insert into display_tokens (name, token_hash, scope_unit_id, playlist)
            select 'bench wall', ${createHash('sha256').update(token).digest('hex')}, id, '{"scenes":["kpis","board","map","movers","sources"],"dwellSeconds":20}'::jsonb
            from units where gso_code = '01'`;
  const base = `http://127.0.0.1:${port}`;
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await context.newPage();
    // First visit: the token becomes the screen's cookie. Count what the page loads.
    const assets = new Map<string, { type: 'js' | 'css'; gzip: number; raw: number }>();
    page.on('response', async (r) => {
      const type = r.request().resourceType();
      if (type !== 'script' && type !== 'stylesheet') return;
      const body = await r.body().catch(() => null);
      if (body) assets.set(r.url(), { type: type === 'script' ? 'js' : 'css', gzip: gzipSync(body).length, raw: body.length });
    });
    await page.goto(`${base}/wall?token=${token}&scene=board`);
    await page.waitForSelector('[data-connection="live"]');
    const sum = (t: 'js' | 'css', k: 'gzip' | 'raw') => [...assets.values()].filter((a) => a.type === t).reduce((n, a) => n + a[k], 0);
    const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
    // A returning screen (cookie set, cache warm): median of 5 navigations. The page itself notes
    // when the first ranked row and the live marker appear (a MutationObserver from the first byte).
    await page.addInitScript(MARKS);
    const painted: number[] = [];
    const live: number[] = [];
    for (let i = 0; i < 5; i++) {
      await page.goto(`${base}/wall?scene=board`);
      await page.waitForSelector('[data-connection="live"]');
      const marks = await page.evaluate(() => (window as unknown as { __marks: Record<string, number> }).__marks);
      painted.push(marks.board ?? NaN);
      live.push(marks.live ?? NaN);
    }
    // A screen switched on for the first time today: a fresh browser profile (empty cache), the cookie only.
    const cookies = await context.cookies();
    const coldPainted: number[] = [];
    const coldLive: number[] = [];
    for (let i = 0; i < 5; i++) {
      const cold = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
      await cold.addCookies(cookies);
      await cold.addInitScript(MARKS);
      const p = await cold.newPage();
      await p.goto(`${base}/wall?scene=board`);
      await p.waitForSelector('[data-connection="live"]');
      const marks = await p.evaluate(() => (window as unknown as { __marks: Record<string, number> }).__marks);
      coldPainted.push(marks.board ?? NaN);
      coldLive.push(marks.live ?? NaN);
      await cold.close();
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    return [
      ['wall page: JavaScript loaded, gzip (raw)', `${kb(sum('js', 'gzip'))} (${kb(sum('js', 'raw'))}) in ${[...assets.values()].filter((a) => a.type === 'js').length} files`],
      ['wall page: CSS loaded, gzip (raw)', `${kb(sum('css', 'gzip'))} (${kb(sum('css', 'raw'))})`],
      ['wall page, cold (empty cache): navigation → ranked board in the page / live (hydrated, socket connected), median of 5', `${median(coldPainted).toFixed(0)} / ${median(coldLive).toFixed(0)} ms`],
      ['wall page, warm (a returning screen): navigation → ranked board in the page / live, median of 5', `${median(painted).toFixed(0)} / ${median(live).toFixed(0)} ms`]
    ];
  } finally {
    await browser.close();
    web.kill('SIGTERM');
  }
}
