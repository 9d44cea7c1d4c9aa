/**
 * The police's e-ID statistics API (VNeID): GET /vneid/api/v2/statistics?from&to, HTTP Basic;
 * per commune in force and every calendar day, in date order then the register's commune order.
 */
import { daysBetween } from './calendar.ts';
import { eidDay, type EidDay } from './eid.ts';
import { unitEid } from './truth.ts';
import { OVERSIZE_BYTES, cutInHalf } from './faults.ts';
import { basicCredentials, dayRange, isProblem, jsonAnswer, oversizeJson, rangeMessageEn, type SystemApi, type SystemContext } from './http.ts';

export const EID_PATH = '/vneid/api/v2/statistics';
export const MAX_EID_RANGE_DAYS = 400;

export interface EidRow {
  areaCode: string;
  date: string;
  stats: { eligible: number | string; level2Collected: number; activated: number }; // a string only under wrong_types
}

export function eidRow(areaCode: string, date: string, d: EidDay): EidRow {
  return { areaCode, date, stats: { eligible: d.eligible, level2Collected: d.level2Collected, activated: d.activated } };
}

const NAMES: [string, string] = ['from', 'to'];

export function eidApi(ctx: SystemContext): SystemApi<EidRow> {
  const error = (status: number, message: string) =>
    jsonAnswer(status, { code: status, message, payload: null }, status === 401 ? { 'www-authenticate': 'Basic realm="VNeID statistics"' } : {});
  const envelope = (items: EidRow[], at: Date) => ({ code: 0, message: 'success', payload: { asOf: at.toISOString(), items } });
  return {
    system: 'eid',
    path: EID_PATH,
    authenticate(req) {
      const c = basicCredentials(req);
      const ok = c !== null && c.username === ctx.keys.eid.username && c.password === ctx.keys.eid.password;
      return ok ? null : error(401, 'Unauthorized: invalid username or password');
    },
    error,
    query(url, at) {
      const range = dayRange(url.searchParams, NAMES, at, MAX_EID_RANGE_DAYS);
      if (isProblem(range)) return rangeMessageEn(range, NAMES, MAX_EID_RANGE_DAYS);
      const rows: EidRow[] = [];
      for (const date of daysBetween(range.from, range.last)) {
        for (const u of ctx.register.of(date, ['commune'])) rows.push(eidRow(u.code, date, unitEid(ctx.seed, u, date, at)));
      }
      return { rows, unknownRow: (code) => eidRow(code, range.last, eidDay(ctx.seed, code, range.last, at)) };
    },
    render: (rows, at) => jsonAnswer(200, envelope(rows, at)),
    oversize: (rows, at) => ({ ...jsonAnswer(200, null), body: oversizeJson(envelope(rows, at), 'trace', OVERSIZE_BYTES) }),
    truncate: cutInHalf,
    corrupt: {
      wrongTypes: (r) => ({ ...r, stats: { ...r.stats, eligible: String(r.stats.eligible) } }),
      negative: (r) => ({ ...r, stats: { ...r.stats, activated: -Math.max(1, r.stats.activated) } }),
      partExceedsWhole: (r) => ({ ...r, stats: { ...r.stats, level2Collected: Number(r.stats.eligible) + 5 } })
    }
  };
}
