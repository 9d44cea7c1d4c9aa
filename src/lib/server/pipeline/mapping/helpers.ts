/**
 * The mapping language's data helpers for Vietnamese district systems: numbers written "1.234",
 * "1.234,5" or "1,234.5", dates "dd/MM/yyyy", "yyyyMMdd", months "MM/yyyy".
 *
 *   $number(x)          x as a number, read by the source's declared number locale (never throws)
 *   $num(x, locale?)    the same with a locale given here ('vi' | 'en'), else the source's
 *   $date(x, format?)   x read with a Luxon format (default yyyy-MM-dd) → "yyyy-MM-dd"
 *   $month(x, format?)  x read with a Luxon format (default yyyy-MM) → the month's first day "yyyy-MM-01"
 *
 * A value that cannot be read, or can be read two ways, is never guessed: the helper returns the
 * sentinel {"$invalid": "<reason quoting the value>"}, and the row checks (validate.ts) reject that
 * row with that reason. Nothing (undefined, null, "") stays nothing: the row checks say "missing".
 *
 * Number rules: a plain "1234", "-12" or "12.5" (a JSON-style decimal point) reads the same in
 * every locale. vi: "." groups thousands (by threes), "," is the decimal mark ("1.234,5" = 1234.5);
 * en: "," groups thousands, "." is the decimal mark ("1,234.5"). Spaces between digit groups are
 * ignored. With no locale declared a value is read only when both locales read it the same
 * ("1.000" is 1000 in vi and 1 in en: ambiguous, rejected).
 *
 * The code is one plain-JavaScript source (HELPERS_SOURCE) so that the sandbox's helper processes
 * (sandbox.ts, which load only jsonata and luxon) and this process (table.ts, for CSV and sheets)
 * run exactly the same rules.
 */
import { DateTime } from 'luxon';
import { ZONE } from '#domain/periods';
import type { NumberLocale } from '#db/schema/sources';

/** `makeHelpers(DateTime, zone)` → { readNumber, readDate, readMonth, bind(locale) }. */
export const HELPERS_SOURCE = String.raw`
function makeHelpers(DateTime, zone) {
  const LOCALES = ['vi', 'en'];
  const show = (x) => {
    const s = typeof x === 'string' ? x : JSON.stringify(x);
    return '«' + (s === undefined ? String(x) : s.length > 60 ? s.slice(0, 60) + '…' : s) + '»';
  };
  const invalid = (reason) => ({ $invalid: reason });
  const isNothing = (x) => x === undefined || x === null || (typeof x === 'string' && x.trim() === '');
  function readAs(text, locale) {
    const group = locale === 'vi' ? '.' : ',';
    const decimal = locale === 'vi' ? ',' : '.';
    const g = group === '.' ? '\\.' : ',';
    const d = decimal === '.' ? '\\.' : ',';
    const grouped = new RegExp('^-?\\d{1,3}(' + g + '\\d{3})+(' + d + '\\d+)?$');
    const plain = new RegExp('^-?\\d+(' + d + '\\d+)?$');
    if (grouped.test(text) || plain.test(text)) return Number(text.split(group).join('').replace(decimal, '.'));
    return null;
  }
  function readNumber(x, locale) {
    if (isNothing(x)) return undefined;
    if (typeof x === 'number') return Number.isFinite(x) ? x : invalid('giá trị ' + show(x) + ' không phải là số');
    if (typeof x !== 'string') return invalid('giá trị ' + show(x) + ' không phải là số');
    const text = x.trim().replace(/(\d)[\s\u00a0\u202f]+(?=\d)/g, '$1');
    if (/^-?\d+$/.test(text)) return Number(text);
    if (!/^[-+]?[\d.,]+$/.test(text)) return invalid('giá trị ' + show(x) + ' không phải là số');
    if (locale === 'vi' || locale === 'en') {
      const n = readAs(text, locale);
      if (n === null) {
        const example = locale === 'vi' ? '1.234,5' : '1,234.5';
        return invalid('số ' + show(x) + ' không đọc được theo cách viết ' + locale + ' (vd. ' + example + ')');
      }
      return n;
    }
    const vi = readAs(text, 'vi');
    const en = readAs(text, 'en');
    if (vi === null && en === null) return invalid('giá trị ' + show(x) + ' không phải là số');
    if (vi !== null && en !== null && vi !== en) {
      return invalid('số ' + show(x) + ' không rõ cách viết: ' + vi + ' (vi) hay ' + en + ' (en)? Hãy khai báo cách viết số của nguồn');
    }
    return vi !== null ? vi : en;
  }
  function parse(x, format, what) {
    if (isNothing(x)) return undefined;
    if (typeof x === 'number' && Number.isInteger(x)) x = String(x);
    if (typeof x !== 'string') return invalid(what + ' ' + show(x) + ' không phải là chuỗi dạng ' + format);
    const dt = DateTime.fromFormat(x.trim(), format, { zone: zone, locale: 'vi' });
    if (!dt.isValid) return invalid(what + ' ' + show(x) + ' không đúng dạng ' + format);
    return dt;
  }
  function readDate(x, format) {
    const f = typeof format === 'string' && format ? format : 'yyyy-MM-dd';
    const dt = parse(x, f, 'ngày');
    return dt && dt.toISODate ? dt.toISODate() : dt;
  }
  function readMonth(x, format) {
    const f = typeof format === 'string' && format ? format : 'yyyy-MM';
    const dt = parse(x, f, 'tháng');
    return dt && dt.toISODate ? dt.startOf('month').toISODate() : dt;
  }
  function bind(locale) {
    return {
      number: (x) => readNumber(x, locale),
      num: (x, l) => {
        if (l === undefined || l === null) return readNumber(x, locale);
        if (!LOCALES.includes(l)) return invalid('cách viết số ' + show(l) + ' không có (dùng "vi" hoặc "en")');
        return readNumber(x, l);
      },
      date: (x, format) => readDate(x, format),
      month: (x, format) => readMonth(x, format)
    };
  }
  return { readNumber, readDate, readMonth, bind };
}
`;

export interface Invalid {
  $invalid: string;
}

interface Helpers {
  readNumber(x: unknown, locale: NumberLocale | null | undefined): number | undefined | Invalid;
  readDate(x: unknown, format?: string): string | undefined | Invalid;
  readMonth(x: unknown, format?: string): string | undefined | Invalid;
  bind(locale: NumberLocale | null | undefined): Record<string, (...args: unknown[]) => unknown>;
}

export const helpers: Helpers = (new Function('DateTime', 'zone', `${HELPERS_SOURCE}; return makeHelpers(DateTime, zone);`) as (d: typeof DateTime, z: string) => Helpers)(DateTime, ZONE);

export function isInvalid(x: unknown): x is Invalid {
  return typeof x === 'object' && x !== null && typeof (x as Invalid).$invalid === 'string';
}

export interface MappingHelp {
  token: string;
  example: string;
  meaning: { vi: string; en: string };
}

/** The mapping language's additions, as the form's help lists them. */
export const MAPPING_HELP: MappingHelp[] = [
  {
    token: '$number(x)', example: '$number("1.234") → 1234 (vi); $number("1.000") → bị từ chối khi chưa khai báo cách viết số',
    meaning: {
      vi: 'đọc số theo cách viết số của nguồn (vi: 1.234,5; en: 1,234.5); giá trị không đọc được hoặc hai nghĩa làm dòng bị từ chối, có trích giá trị',
      en: "reads a number by the source's number locale (vi: 1.234,5; en: 1,234.5); an unreadable or ambiguous value rejects its row, quoted"
    }
  },
  {
    token: '$num(x, "vi"|"en")', example: '$num("1,234", "en") → 1234',
    meaning: { vi: 'như $number, với cách viết số nêu tại chỗ', en: 'like $number, with the locale given here' }
  },
  {
    token: '$date(x, "dd/MM/yyyy")', example: '$date("20/11/2026", "dd/MM/yyyy") → "2026-11-20"; $date("20261120", "yyyyMMdd")',
    meaning: { vi: 'đọc ngày theo định dạng Luxon, trả về yyyy-MM-dd', en: 'reads a date in a Luxon format, gives yyyy-MM-dd' }
  },
  {
    token: '$month(x, "MM/yyyy")', example: '$month("11/2026", "MM/yyyy") → "2026-11-01"',
    meaning: { vi: 'đọc tháng, trả về ngày đầu tháng', en: "reads a month, gives the month's first day" }
  },
  {
    token: '$request', example: '$request.from, $request.to, $request.period.start, $request.period.kind, $request.page',
    meaning: {
      vi: 'khoảng ngày đã hỏi nguồn: from, to, period {kind: day|month|quarter|year|range, start, end}, page — để gán ngày cho dữ liệu không có ngày',
      en: 'the window asked for: from, to, period {kind: day|month|quarter|year|range, start, end}, page — to date a body without dates'
    }
  },
  {
    token: 'each: <đường dẫn>', example: 'each: duLieu.xa',
    meaning: {
      vi: 'dòng riêng trong ô ánh xạ: biểu thức chạy cho từng phần tử của đường dẫn ($ là phần tử, $body là toàn bộ dữ liệu); một phần tử lỗi chỉ làm dòng đó bị từ chối',
      en: 'a line of its own in the mapping field: the expression runs once per item of the path ($ is the item, $body the whole body); an item that fails rejects only its row'
    }
  },
  {
    token: 'metrics: a, b', example: 'metrics: dossier.received, dossier.resolved',
    meaning: { vi: 'các chỉ số mỗi bản ghi phải có (thiếu là bị từ chối)', en: 'the metrics every record must carry (a missing one rejects the row)' }
  }
];
