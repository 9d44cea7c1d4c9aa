/**
 * The welfare payment system's CSV export (ANSINH): GET /ansinh/bao-cao/chi-tra.csv?tuThang&denThang
 * (YYYY-MM), Authorization: Bearer <token>; per commune and month (the communes in force on the
 * month's first day), in month order then the register's commune order. UTF-8 without BOM, CRLF after every line, RFC 4180 quoting, names
 * always quoted, months written MM/YYYY. Errors are JSON.
 */
import { monthIndex, monthOfIndex } from './calendar.ts';
import { OVERSIZE_BYTES } from './faults.ts';
import { bearerToken, isProblem, jsonAnswer, monthRange, rangeMessageVi, type Answer, type SystemApi, type SystemContext } from './http.ts';
import { paymentMonth, type PaymentMonth } from './payments.ts';
import { unitPayments } from './truth.ts';

export const PAYMENT_PATH = '/ansinh/bao-cao/chi-tra.csv';
export const MAX_RANGE_MONTHS = 14;
/** What the wrong_types fault writes in so_doi_tuong. */
export const WRONG_TYPE_CSV_COUNT = '12 người';
export const PAYMENT_CSV_HEADER = 'ma_xa,ten_xa,thang,so_doi_tuong,so_nhan_qua_tai_khoan,tong_tien,tong_tien_qua_tai_khoan';

export interface PaymentRow {
  ma_xa: string;
  ten_xa: string;
  /** MM/YYYY */
  thang: string;
  so_doi_tuong: number | string; // WRONG_TYPE_CSV_COUNT only under wrong_types
  so_nhan_qua_tai_khoan: number;
  tong_tien: number;
  tong_tien_qua_tai_khoan: number;
}

export function paymentRow(code: string, name: string, month: string, m: PaymentMonth): PaymentRow {
  return {
    ma_xa: code,
    ten_xa: name,
    thang: `${month.slice(5, 7)}/${month.slice(0, 4)}`,
    so_doi_tuong: m.recipients,
    so_nhan_qua_tai_khoan: m.cashless,
    tong_tien: m.amount,
    tong_tien_qua_tai_khoan: m.amountCashless
  };
}

/** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. */
function field(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV line; the name is always quoted, as the vendor's export does. */
export function csvLine(r: PaymentRow): string {
  return [
    field(r.ma_xa),
    `"${r.ten_xa.replaceAll('"', '""')}"`,
    field(r.thang),
    field(r.so_doi_tuong),
    field(r.so_nhan_qua_tai_khoan),
    field(r.tong_tien),
    field(r.tong_tien_qua_tai_khoan)
  ].join(',');
}

export function paymentCsv(rows: PaymentRow[], extraLines: string[] = []): string {
  return [PAYMENT_CSV_HEADER, ...rows.map(csvLine), ...extraLines].map((l) => `${l}\r\n`).join('');
}

/**
 * malformed for the CSV: cut three characters into the first quoted name at or after half the
 * body, so that a quote is left open (a reader fails, not just misses rows). A body without rows
 * is cut in half.
 */
export function cutInsideName(body: string): string {
  const quote = body.indexOf(',"', Math.floor(body.length / 2));
  const at = quote >= 0 ? quote : body.indexOf(',"');
  if (at < 0) return body.slice(0, Math.floor(body.length / 2));
  const open = at + 2; // just after the opening quote
  const close = body.indexOf('"', open);
  return body.slice(0, Math.min(open + 3, Math.max(open, close - 1))); // a short name still loses its closing quote
}

const NAMES: [string, string] = ['tuThang', 'denThang'];
const CSV_TYPE = { 'content-type': 'text/csv; charset=utf-8' };

export function paymentApi(ctx: SystemContext): SystemApi<PaymentRow> {
  const error = (status: number, message: string) =>
    jsonAnswer(status, {
      trang_thai: 'loi',
      ma_loi: status === 400 ? 'THAM_SO_KHONG_HOP_LE' : status === 401 ? 'KHONG_XAC_THUC' : 'LOI_HE_THONG',
      thong_bao: message
    });
  const csv = (body: string): Answer => ({ status: 200, headers: CSV_TYPE, body });
  return {
    system: 'payment',
    path: PAYMENT_PATH,
    authenticate: (req) => (bearerToken(req) === ctx.keys.payment ? null : error(401, 'Token không hợp lệ hoặc đã hết hạn')),
    error,
    query(url, at) {
      const range = monthRange(url.searchParams, NAMES, at, MAX_RANGE_MONTHS);
      if (isProblem(range)) return rangeMessageVi(range, NAMES, MAX_RANGE_MONTHS, 'tháng');
      const rows: PaymentRow[] = [];
      for (let m = monthIndex(range.from); m <= monthIndex(range.last); m++) {
        const month = monthOfIndex(m);
        for (const u of ctx.register.of(`${month}-01`, ['commune'])) {
          const values = unitPayments(ctx.seed, u, month, at);
          if (values) rows.push(paymentRow(u.code, u.name, month, values));
        }
      }
      return {
        rows,
        unknownRow: (code) => paymentRow(code, `Xã ${code}`, range.last, paymentMonth(ctx.seed, code, range.last, at)!)
      };
    },
    render: (rows) => csv(paymentCsv(rows)),
    oversize(rows) {
      // Valid CSV: filler rows of zeros for 7-digit codes that no register has, after the real rows.
      const month = rows.at(-1)?.thang ?? '01/2000';
      const size = Buffer.byteLength(paymentCsv(rows));
      const filler: string[] = [];
      for (let i = 0, bytes = size; bytes <= OVERSIZE_BYTES; i++) {
        const line = `${9_000_000 + i},"Dòng đệm",${month},0,0,0,0`;
        filler.push(line);
        bytes += Buffer.byteLength(line) + 2;
      }
      return csv(paymentCsv(rows, filler));
    },
    truncate: cutInsideName,
    corrupt: {
      // The literal text of the contract (a count typed by hand, with its unit), the same in every bad row.
      wrongTypes: (r) => ({ ...r, so_doi_tuong: WRONG_TYPE_CSV_COUNT }),
      negative: (r) => ({ ...r, so_nhan_qua_tai_khoan: -Math.max(1, r.so_nhan_qua_tai_khoan) }),
      partExceedsWhole: (r) => ({ ...r, so_nhan_qua_tai_khoan: Number(r.so_doi_tuong) + 5 })
    }
  };
}
