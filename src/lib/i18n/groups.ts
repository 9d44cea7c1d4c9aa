/**
 * What a board's children are, in words built from the board's groups (Board.groups: level, the
 * register's types, count), never from a list in code: "Xếp hạng 126 xã, phường", "Các sở, ban,
 * ngành", "Xếp hạng 30 huyện, quận, thị xã" for a 2024 city.
 *
 * English keeps the register's Vietnamese type names, lower-cased as in a sentence, as the proper
 * nouns they are (a phường is not quite a ward, a thị xã not quite a town; a gloss would be a second,
 * hand-made register that drifts from the real one), and puts the level in English before them:
 * "126 communes (xã, phường)". The level is the data's own key (commune, district, department …);
 * one the messages do not name reads "units".
 */
import type { BoardGroup } from '#domain/board';
import { m } from '../paraglide/messages.js';
import type { Locale } from '../paraglide/runtime.js';
import { count, listAnd } from './intl.ts';

type Group = Pick<BoardGroup, 'level' | 'types' | 'count'>;

/** The register's types as a sentence writes them: "xã, phường". */
export function typesWords(group: Pick<BoardGroup, 'types'>): string {
  return group.types.map((t) => t.toLocaleLowerCase('vi')).join(', ');
}

const LEVELS: Record<string, (inputs: { count: number; n: string }, options: { locale: Locale }) => string> = {
  country: m.screens_level_country,
  province: m.screens_level_province,
  district: m.screens_level_district,
  commune: m.screens_level_commune,
  department: m.screens_level_department
};

/** The level in the reader's language, plural by `n`: "communes"; Vietnamese "đơn vị cấp xã". */
export function levelWords(level: string, n: number, locale: Locale): string {
  const words = Object.hasOwn(LEVELS, level) ? LEVELS[level]! : m.screens_level_other;
  return words({ count: n, n: count(n) }, { locale });
}

/** The group by its kind, without a count: "xã, phường" / "communes (xã, phường)". */
export function groupKind(group: Group, locale: Locale): string {
  if (locale === 'vi') return typesWords(group) || levelWords(group.level, group.count, locale);
  const level = levelWords(group.level, group.count, locale);
  return group.types.length ? `${level} (${typesWords(group)})` : level;
}

/** The group counted: "126 xã, phường" / "126 communes (xã, phường)". */
export function groupNoun(group: Group, locale: Locale): string {
  return m.screens_group_noun({ n: count(group.count), kind: groupKind(group, locale) }, { locale });
}

const capitalise = (s: string) => s.charAt(0).toLocaleUpperCase('vi') + s.slice(1);

/** A filter's label for a group: "Xã, phường" / "Communes (xã, phường)". */
export function groupLabel(group: Group, locale: Locale): string {
  return capitalise(groupKind(group, locale));
}

/**
 * A group's heading on a board: the first (largest) group "Xếp hạng 126 xã, phường"; the others, ranked
 * on their own beside it, "Các sở, ban, ngành" with "14 đơn vị, xếp hạng riêng" under it.
 */
export function groupHeading(group: Group, index: number, locale: Locale): { title: string; sub: string | null } {
  const o = { locale };
  if (index === 0) return { title: m.screens_group_heading_first({ group: groupNoun(group, locale) }, o), sub: null };
  return {
    title: capitalise(m.screens_group_heading_other({ kind: groupKind(group, locale) }, o)),
    sub: m.screens_group_heading_other_sub({ n: count(group.count), count: group.count }, o)
  };
}

/** The overview's heading: "Thành phố Hà Nội: xếp hạng 126 xã, phường và 14 sở, ban, ngành". */
export function overviewHeading(scope: string, groups: readonly Group[], locale: Locale): string {
  if (!groups.length) return m.screens_overview_heading_empty({ scope }, { locale });
  return m.screens_overview_heading({ scope, groups: listAnd(groups.map((g) => groupNoun(g, locale)), locale) }, { locale });
}

/** Under a tile map: the groups with no place on it. "Sở, ban, ngành (14) không có trên bản đồ: …". */
export function notOnMapLine(groups: readonly Group[], locale: Locale): string | null {
  if (!groups.length) return null;
  return m.screens_map_not_on_map({ groups: listAnd(groups.map((g) => groupNoun(g, locale)), locale) }, { locale });
}
