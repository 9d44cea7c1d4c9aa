import { error, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { boardPeriodKindSchema } from '#contract/dto';
import { earlyOpening, today } from '#domain/periods';
import { config } from '#server/config';
import { NotFoundError, readBoard, readUnit, rootUnitCode } from '#server/boards';
import { estimateBefore, hasChildrenInForce } from '#server/lineage';
import { sql } from '#server/db';
import { readKpiComparisons, readKpiHistory } from '#server/kpis';
import { readSourceHealth } from '#server/sources';
import { parseQuery } from '#server/http';
import { DISPLAY_COOKIE_MAX_AGE_SECONDS } from '#server/limits';
import { DISPLAY_COOKIE } from '$lib/server/auth/request';
import { readDisplayToken } from '$lib/server/auth/sessions';
import { RELEASE } from '$lib/server/release';
import { isScene, playingScenes, SCENES } from '$lib/wall/scenes';
import { readWall766 } from '$lib/wall/wall766.server';
import type { PageServerLoad } from './$types';


const querySchema = z.object({
  period: boardPeriodKindSchema,
  scene: z
    .string()
    .optional()
    .refine((s) => s === undefined || isScene(s), { message: `không có cảnh này; chọn trong ${SCENES.join(', ')}` }),
  /** With scene=board or scene=map: one page of it kept on the screen (a screen for the departments, say; the map's east half). */
  page: z.coerce.number({ message: 'phải là số trang, từ 1' }).int('phải là số trang, từ 1').min(1, 'phải là số trang, từ 1').max(99, 'tối đa 99').optional()
});

/**
 * The wall: opened with `?token=…` once (the token moves into an httpOnly cookie and out of the
 * URL), then by the cookie — never a sign-in page. A refused token gets its own screen (+error.svelte).
 * A signed-in person may open it too (the whole city, every scene).
 */
export const load: PageServerLoad = async ({ url, cookies, locals }) => {
  const db = await sql();
  const token = url.searchParams.get('token');
  if (token !== null) {
    const found = await readDisplayToken(db, token);
    if ('refused' in found) refuse(found.refused);
    cookies.set(DISPLAY_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure: url.protocol === 'https:', maxAge: DISPLAY_COOKIE_MAX_AGE_SECONDS });
    const clean = new URLSearchParams(url.searchParams);
    clean.delete('token');
    redirect(303, `/wall${clean.size ? `?${clean}` : ''}`);
  }
  const principal = locals.principal;
  if (principal.kind === 'anonymous') {
    const cookie = cookies.get(DISPLAY_COOKIE);
    refuse(cookie ? await readDisplayToken(db, cookie).then((d) => ('refused' in d ? d.refused : 'unknown')) : 'missing');
  }
  const q = parseQuery(querySchema, url, { period: 'month' });
  const screen =
    principal.kind === 'display'
      ? { name: principal.name, scope: principal.scopeCode, scenes: (principal.playlist?.scenes ?? []).filter(isScene), dwellSeconds: principal.playlist?.dwellSeconds ?? 20 }
      : { name: 'Màn hình tổng hợp', scope: await personScope(db, principal.kind === 'user' ? principal.user.unitCode : null), scenes: [...SCENES], dwellSeconds: 20 };
  const chosen = screen.scenes.length ? screen.scenes : [...SCENES];
  const unit = await readUnit(db, screen.scope);
  if (!unit) error(404, `Không có đơn vị mã ${screen.scope}`);
  // A screen issued for a unit that has since ended (a district of 2024) says so, and what to do.
  if (unit.validTo !== null && unit.validTo < today()) {
    error(404, `${unit.name} đã ngừng hoạt động từ ${viDate(unit.validTo, 1)}; cấp mã màn hình mới cho một đơn vị đang hoạt động.`);
  }
  if (!unit.hasChildren) error(400, `${unit.name} không có đơn vị trực thuộc để xếp hạng; cấp mã màn hình cho một đơn vị cấp trên.`);
  const openedOn = today();
  // Early in a month (EARLY_PERIOD_DAYS), a screen on months opens on the whole month before and says so;
  // a period pinned in the address (`?period=month`) is kept as asked.
  const early = q.period === 'month' && !url.searchParams.has('period') ? earlyOpening(openedOn, config().EARLY_PERIOD_DAYS) : null;
  const query = { scope: unit.code, period: q.period, date: early ?? openedOn };
  let loaded;
  try {
    // The 766 scene's month and boards, read only when it may show (src/lib/wall/scenes.ts playingScenes).
    const wants766 = q.scene === '766' || chosen.includes('766');
    loaded = await Promise.all([readBoard(db, query), readKpiHistory(db, query), readSourceHealth(db), wants766 ? readWall766(db, unit.code, query.date) : null, readKpiComparisons(db, query, openedOn)]);
  } catch (e) {
    if (e instanceof NotFoundError) error(404, e.message);
    throw e;
  }
  const [board, history, sources, wall766, comparisons] = loaded;
  return {
    estimateBefore: await estimateBefore(db, board),
    screen: { ...screen, scenes: playingScenes(chosen, wall766?.state === 'ready') },
    wall766,
    pinned: q.scene ?? null,
    pinnedPage: q.scene === 'board' || q.scene === 'map' ? (q.page ?? null) : null,
    query,
    openedOn,
    early: early !== null,
    board,
    history,
    kpiBase: comparisons.base,
    kpiLastYear: comparisons.lastYear,
    sources,
    release: RELEASE,
    loadedAt: new Date().toISOString()
  };
};

/** A day after `iso` (YYYY-MM-DD) + `plusDays`, as dd/MM/yyyy. */
function viDate(iso: string, plusDays = 0): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + plusDays);
  return d.toISOString().slice(0, 10).split('-').reverse().join('/');
}

/**
 * The board a signed-in person's wall shows: their unit's children, or — for a unit with nobody under
 * it in force (a commune, a department) — its parent's, where it is ranked; the city for everyone else.
 */
async function personScope(db: Awaited<ReturnType<typeof sql>>, unitCode: string | null): Promise<string> {
  if (!unitCode) return rootUnitCode(db);
  const unit = await readUnit(db, unitCode);
  if (!unit || (unit.validTo !== null && unit.validTo < today())) return rootUnitCode(db);
  if (unit.hasChildren && (await hasChildrenInForce(db, unit.id, today()))) return unit.code;
  return unit.parent?.code ?? (await rootUnitCode(db));
}

function refuse(reason: 'revoked' | 'expired' | 'unknown' | 'missing'): never {
  error(reason === 'missing' ? 401 : 403, { message: REFUSALS[reason], reason });
}

const REFUSALS = {
  revoked: 'Mã màn hình này đã bị thu hồi.',
  expired: 'Mã màn hình này đã hết hạn.',
  unknown: 'Mã màn hình không đúng.',
  missing: 'Màn hình này chưa được cấp mã.'
} as const;
