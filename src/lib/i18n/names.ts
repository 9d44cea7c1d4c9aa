/**
 * Names in the reader's language (Paraglide: Vietnamese by default, English when chosen). The data
 * carries both where it has them (families, indicators, metrics); Vietnamese is shown otherwise.
 * Numbers and dates are not here: they keep the vi-VN formats in both languages (src/lib/format.ts).
 */
import { FAMILY_NAMES, METRICS, type MetricFamily } from '#domain/catalogue';
import { m } from '../paraglide/messages.js';
import { getLocale, type Locale } from '../paraglide/runtime.js';

export type { Locale };

/** A metric family's heading: "Hồ sơ TTHC" / "Dossiers". */
export function familyName(family: string, locale: Locale = getLocale()): string {
  const names = FAMILY_NAMES[family as MetricFamily];
  if (!names) return family;
  return locale === 'en' ? names.en : names.vi;
}

/** An indicator's name (a board's or a series' IndicatorMeta): nameEn in English when it has one. */
export function indicatorName(ind: { nameVi: string; nameEn?: string | null }, locale: Locale = getLocale()): string {
  return locale === 'en' && ind.nameEn ? ind.nameEn : ind.nameVi;
}

const METRIC_EN = new Map(METRICS.map((d) => [d.key, d.nameEn]));

/** A metric's name: the catalogue's English name in English, else the stored (Vietnamese) one. */
export function metricName(key: string, nameVi: string, locale: Locale = getLocale()): string {
  return (locale === 'en' && METRIC_EN.get(key)) || nameVi;
}

/** The default band names a scheme stores (src/lib/domain/bands.ts DEFAULT_BANDS). */
const BANDS: Record<string, (options: { locale: Locale }) => string> = {
  'Xuất sắc': (o) => m.band_excellent({}, o),
  'Tốt': (o) => m.band_good({}, o),
  'Khá': (o) => m.band_fair({}, o),
  'Trung bình': (o) => m.band_average({}, o),
  'Yếu': (o) => m.band_weak({}, o)
};

/** A rating band's name as a scheme stores it, in English when it is one of the default names. */
export function bandName(name: string, locale: Locale = getLocale()): string {
  const known = Object.hasOwn(BANDS, name) ? BANDS[name] : undefined;
  return known ? known({ locale }) : name;
}
