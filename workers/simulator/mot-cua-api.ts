/**
 * The fifth vendor: a province's one-stop-shop reporting system ("một cửa"), which the seed does
 * NOT configure — the tests connect it as an administrator would, through the source engine.
 * Its own dialect, every bit of it different from the seeded dossier API (dossiers-api.ts):
 *
 *   POST /mot-cua/api/bao-cao          HTTP Basic (DEMO_KEYS.motCua: motcua5 / demo-motcua5-2026)
 *   content-type: application/json     body {"tuNgay":"dd/MM/yyyy","denNgay":"dd/MM/yyyy","trang":1}
 *
 * Answers one page of 50 communes (those in force on some day of the range, in the register's
 * order), nested district → commune (since the reform of 01/07/2025, city → commune: maHuyen is the
 * commune's parent), one item per commune and day in force (commune by commune, days in order),
 * numbers as strings with the Vietnamese thousands separator ("1.234"), dates dd/MM/yyyy:
 *
 *   {"thanhCong":true,"trang":1,"tongSoTrang":11,"soXaMoiTrang":50,
 *    "duLieu":{"dsHuyen":[{"maHuyen":"277","tenHuyen":"Huyện Thanh Oai","dsXa":[
 *      {"maXa":"10105","tenXa":"Thị trấn Kim Bài","ngay":"18/11/2026","tiepNhan":"1.234",
 *       "tiepNhanTrucTuyen":"1.001","daGiaiQuyet":"1.100","dungHan":"1.050","conHanXuLy":"80",
 *       "quaHanXuLy":"54","daSoHoa":"700","coPhiLePhi":"400","thanhToanTrucTuyen":"210"}, …]}]}}
 *
 * A page after the last has an empty dsHuyen. Field → catalogue metric (ONE_STOP_FIELDS):
 * tiepNhan dossier.received, tiepNhanTrucTuyen dossier.received_online, daGiaiQuyet dossier.resolved,
 * dungHan dossier.resolved_on_time, conHanXuLy dossier.pending_on_time, quaHanXuLy
 * dossier.pending_overdue, daSoHoa dossier.digitized, coPhiLePhi dossier.with_fee,
 * thanhToanTrucTuyen dossier.paid_online.
 *
 * Errors are JSON {"thanhCong":false,"maLoi":…,"thongBao":"<Vietnamese>"}: 400 on a bad or missing
 * date ("Tham số tuNgay/denNgay phải có dạng dd/MM/yyyy"), a range over 31 days, a bad page or a body
 * that is not JSON; 401 (with WWW-Authenticate: Basic) on missing or wrong credentials; 405 on GET.
 * No day after today exists (a range reaching into the future stops at today); every day since the
 * system went live (ONE_STOP_FIRST_DAY, 01/01/2020) does, so a backfill of years is a series of
 * 31-day requests, and a request starting earlier is a 400 in its words.
 *
 * Ground truth: `oneStopDay(seed, code, date, now)` — the dossier generator (dossiers.ts) run with a
 * seed of its own, so the same commune and day count differently from the seeded dossier API (another
 * system, other counting rules), realistic all the same. Faults: it shares the dossier system's slot.
 */
import type { IncomingMessage } from 'node:http';
import { dateOfDay, dayNumber } from './calendar.ts';
import { today } from '#domain/periods';
import { dossierDay, type DossierDay } from './dossiers.ts';
import { OVERSIZE_BYTES, cutInHalf } from './faults.ts';
import { basicCredentials, jsonAnswer, oversizeJson, type SimUnit, type SystemApi, type SystemContext } from './http.ts';
import { inForce } from './register.ts';
import { unitDossiers } from './truth.ts';

export const ONE_STOP_PATH = '/mot-cua/api/bao-cao';
export const ONE_STOP_PAGE_SIZE = 50;
export const ONE_STOP_MAX_DAYS = 31;
export const ONE_STOP_DATE_MESSAGE = 'Tham số tuNgay/denNgay phải có dạng dd/MM/yyyy';
/** The system went live that day: a request starting earlier is refused (400), in its words. */
export const ONE_STOP_FIRST_DAY = '2020-01-01';

/** The vendor's field for each catalogue metric, in the order it writes them. */
export const ONE_STOP_FIELDS = {
  tiepNhan: 'dossier.received',
  tiepNhanTrucTuyen: 'dossier.received_online',
  daGiaiQuyet: 'dossier.resolved',
  dungHan: 'dossier.resolved_on_time',
  conHanXuLy: 'dossier.pending_on_time',
  quaHanXuLy: 'dossier.pending_overdue',
  daSoHoa: 'dossier.digitized',
  coPhiLePhi: 'dossier.with_fee',
  thanhToanTrucTuyen: 'dossier.paid_online'
} as const;
export type OneStopField = keyof typeof ONE_STOP_FIELDS;

/** The counts of one commune on one date at `now`, as this system has them. */
export function oneStopDay(seed: string, unitCode: string, date: string, now: Date): DossierDay {
  return dossierDay(`${seed}#mot-cua`, unitCode, date, now);
}

/** 1234567 → "1.234.567" (vi-VN grouping, written out: no dependence on the machine's ICU data). */
export function viNumber(n: number): string {
  const sign = n < 0 ? '-' : '';
  return sign + String(Math.abs(n)).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

/** "2026-11-18" → "18/11/2026". */
export function viDate(iso: string): string {
  return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
}

/** "18/11/2026" → "2026-11-18", or null when it is not a real date written dd/MM/yyyy. */
export function isoOfViDate(text: unknown): string | null {
  if (typeof text !== 'string') return null;
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(text);
  if (!m) return null;
  const iso = `${m[3]}-${m[2]}-${m[1]}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso ? iso : null;
}

export type OneStopItem = { maXa: string; tenXa: string; ngay: string } & Record<OneStopField, string>;

/** A commune-day item with the district it is listed under (the row the faults act on). */
export interface OneStopRow {
  maHuyen: string;
  tenHuyen: string;
  xa: OneStopItem;
}

export function oneStopItem(maXa: string, tenXa: string, isoDate: string, d: DossierDay): OneStopItem {
  return {
    maXa,
    tenXa,
    ngay: viDate(isoDate),
    tiepNhan: viNumber(d.received),
    tiepNhanTrucTuyen: viNumber(d.receivedOnline),
    daGiaiQuyet: viNumber(d.resolved),
    dungHan: viNumber(d.resolvedOnTime),
    conHanXuLy: viNumber(d.pendingOnTime),
    quaHanXuLy: viNumber(d.pendingOverdue),
    daSoHoa: viNumber(d.digitized),
    coPhiLePhi: viNumber(d.withFee),
    thanhToanTrucTuyen: viNumber(d.paidOnline)
  };
}

/** Rows (in order) nested as the vendor writes them: consecutive rows of one district under one entry. */
export function nest(rows: OneStopRow[]): { maHuyen: string; tenHuyen: string; dsXa: OneStopItem[] }[] {
  const out: { maHuyen: string; tenHuyen: string; dsXa: OneStopItem[] }[] = [];
  for (const r of rows) {
    const last = out.at(-1);
    if (last && last.maHuyen === r.maHuyen) last.dsXa.push(r.xa);
    else out.push({ maHuyen: r.maHuyen, tenHuyen: r.tenHuyen, dsXa: [r.xa] });
  }
  return out;
}

export interface OneStopQuery {
  from: string;
  to: string;
  page: number;
}

/** The body's parameters, or the Vietnamese message of the 400. */
export function parseOneStopBody(text: string | undefined, at: Date): OneStopQuery | string {
  let body: unknown;
  try {
    body = JSON.parse(text ?? '');
  } catch {
    return 'Nội dung yêu cầu phải là JSON, ví dụ {"tuNgay":"01/11/2026","denNgay":"30/11/2026","trang":1}';
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) return 'Nội dung yêu cầu phải là một đối tượng JSON có tuNgay, denNgay và trang';
  const b = body as Record<string, unknown>;
  const from = isoOfViDate(b.tuNgay);
  const to = isoOfViDate(b.denNgay);
  if (!from || !to) return ONE_STOP_DATE_MESSAGE;
  if (from > to) return 'tuNgay phải trước hoặc bằng denNgay';
  if (from < ONE_STOP_FIRST_DAY) return `Hệ thống vận hành từ ${viDate(ONE_STOP_FIRST_DAY)}: không có số liệu trước ngày này`;
  const days = dayNumber(to) - dayNumber(from) + 1;
  if (days > ONE_STOP_MAX_DAYS) return `Mỗi yêu cầu lấy tối đa ${ONE_STOP_MAX_DAYS} ngày, yêu cầu ${days} ngày: chia khoảng thời gian ra`;
  const rawPage = b.trang ?? 1;
  const page = typeof rawPage === 'string' && /^\d+$/.test(rawPage) ? Number(rawPage) : rawPage;
  if (typeof page !== 'number' || !Number.isInteger(page) || page < 1) return `Tham số trang phải là số nguyên từ 1 trở lên, nhận được ${JSON.stringify(rawPage)}`;
  const now = today(at);
  return { from, to: to < now ? to : now, page };
}

export function oneStopApi(ctx: SystemContext): SystemApi<OneStopRow> {
  // A commune is listed under its district; since the reform, under the city (its parent).
  const parentNames = new Map(ctx.units.filter((u) => u.level === 'district').map((u) => [u.code, u.name]));
  for (const u of ctx.units) if (u.parentCode && u.parentName && !parentNames.has(u.parentCode)) parentNames.set(u.parentCode, u.parentName);
  // The pages cover the communes in force on some day of the range (the register's order), each on its days.
  const pagesOf = (communes: readonly unknown[]) => Math.max(1, Math.ceil(communes.length / ONE_STOP_PAGE_SIZE));
  const pages = pagesOf(ctx.units.filter((u) => u.level === 'commune')); // for an error's envelope only
  const code = (status: number) => (status === 400 ? 'THAM_SO_KHONG_HOP_LE' : status === 401 ? 'CHUA_XAC_THUC' : status === 405 ? 'PHUONG_THUC' : 'LOI_HE_THONG');
  const error = (status: number, message: string) =>
    jsonAnswer(status, { thanhCong: false, maLoi: code(status), thongBao: message }, status === 401 ? { 'www-authenticate': 'Basic realm="MotCua", charset="UTF-8"' } : {});
  const envelope = (rows: OneStopRow[], page: { page: number; pages: number }) => ({
    thanhCong: true,
    trang: page.page,
    tongSoTrang: page.pages,
    soXaMoiTrang: ONE_STOP_PAGE_SIZE,
    duLieu: { dsHuyen: nest(rows) }
  });
  const row = (u: SimUnit, date: string, at: Date): OneStopRow => ({
    maHuyen: u.parentCode ?? '',
    tenHuyen: parentNames.get(u.parentCode ?? '') ?? '',
    xa: oneStopItem(u.code, u.name, date, unitDossiers(ctx.seed, u, date, at, undefined, oneStopDay))
  });
  const num = (s: string) => Number(s.replaceAll('.', ''));
  return {
    system: 'dossier',
    path: ONE_STOP_PATH,
    method: 'POST',
    authenticate(req: IncomingMessage) {
      const c = basicCredentials(req);
      return c && c.username === ctx.keys.motCua.username && c.password === ctx.keys.motCua.password
        ? null
        : error(401, 'Sai tên đăng nhập hoặc mật khẩu');
    },
    error,
    query(_url, at, body) {
      const q = parseOneStopBody(body, at);
      if (typeof q === 'string') return q;
      const communes = ctx.register.during(q.from, q.to, ['commune']);
      const onPage = communes.slice((q.page - 1) * ONE_STOP_PAGE_SIZE, q.page * ONE_STOP_PAGE_SIZE);
      const rows: OneStopRow[] = [];
      for (const u of onPage) {
        for (let day = dayNumber(q.from); day <= dayNumber(q.to); day++) {
          const date = dateOfDay(day);
          if (inForce(u, date)) rows.push(row(u, date, at));
        }
      }
      return {
        rows,
        page: { page: q.page, pages: pagesOf(communes) },
        unknownRow: (unknown) => ({
          maHuyen: '999', tenHuyen: 'Không rõ', xa: oneStopItem(unknown, 'Không rõ', q.to, oneStopDay(ctx.seed, unknown, q.to, at))
        })
      };
    },
    render: (rows, _at, page) => jsonAnswer(200, envelope(rows, page ?? { page: 1, pages })),
    oversize: (rows, _at, page) => ({ ...jsonAnswer(200, null), body: oversizeJson(envelope(rows, page ?? { page: 1, pages }), 'ghiChu', OVERSIZE_BYTES) }),
    truncate: cutInHalf,
    corrupt: {
      wrongTypes: (r) => ({ ...r, xa: { ...r.xa, tiepNhan: `${r.xa.tiepNhan} hồ sơ` } }),
      negative: (r) => ({ ...r, xa: { ...r.xa, quaHanXuLy: viNumber(-Math.max(1, num(r.xa.quaHanXuLy))) } }),
      partExceedsWhole: (r) => ({ ...r, xa: { ...r.xa, tiepNhanTrucTuyen: viNumber(num(r.xa.tiepNhan) + 5) } })
    }
  };
}
