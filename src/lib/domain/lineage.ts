/**
 * How a pre-reform unit's figures are shared among the units it went into (the register's merge
 * table, e.g. merge-2025.csv): pure, no I/O. The import and the seed both call `lineageShares`, and
 * unit_lineage stores what it returns.
 *
 * The rule, written down (docs/units.md):
 * - a unit that went whole into one new unit ("Nhập toàn bộ", "Giữ nguyên", "Đổi loại hình",
 *   "Đổi tên", "Sắp xếp toàn bộ …") counts there whole: share 1, not estimated;
 * - a unit split between several new units: where the register says which part took the whole
 *   population ("…, toàn bộ dân số"), that one takes its figures (share 1, or shared equally if
 *   several say so) and the others none (share 0: the figures follow the people: dossiers, e-ID,
 *   welfare recipients); otherwise each new unit takes an equal share (1/n). Either way the
 *   successors' figures before the reform are an estimate ("ước tính");
 * - a unit listed once, but only in part ("Nhập một phần" into one new unit and nowhere else), counts
 *   there whole, estimated;
 * - a note the rule does not know counts as a part (estimated), never as whole.
 * The shares of one predecessor always add up to 1: nothing counted twice, nothing dropped.
 */

export type MergeNoteKind = 'whole' | 'part' | 'part_whole_population' | 'part_area';

export interface MergeLink {
  oldCode: string;
  newCode: string;
  /** The register's own words. */
  note: string;
}

export interface LineageShare extends MergeLink {
  kind: MergeNoteKind;
  /** 0..1 */
  share: number;
  estimated: boolean;
}

/** The register's note, lower-cased with spaces collapsed and its known misspelling ("Nhâp") mended. */
export function normalizeMergeNote(note: string): string {
  return note.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim().replace(/^nhâp /, 'nhập ');
}

export function classifyMergeNote(note: string): MergeNoteKind {
  const n = normalizeMergeNote(note);
  if (n.includes('toàn bộ dân số')) return 'part_whole_population';
  if (n.includes('một phần diện tích')) return 'part_area';
  if (n.includes('một phần') || n.startsWith('phần còn lại')) return 'part';
  if (/^(nhập toàn bộ|giữ nguyên|đổi loại hình|đổi tên|sắp xếp toàn bộ)/.test(n)) return 'whole';
  return 'part';
}

/** Every link with its share; links of one old unit to the same new unit twice count once (the first). */
export function lineageShares(links: readonly MergeLink[]): LineageShare[] {
  const byOld = new Map<string, MergeLink[]>();
  for (const l of links) {
    const list = byOld.get(l.oldCode) ?? [];
    if (!list.some((x) => x.newCode === l.newCode)) list.push(l);
    byOld.set(l.oldCode, list);
  }
  const out: LineageShare[] = [];
  for (const list of byOld.values()) {
    const kinds = list.map((l) => classifyMergeNote(l.note));
    if (list.length === 1) {
      out.push({ ...list[0]!, kind: kinds[0]!, share: 1, estimated: kinds[0] !== 'whole' });
      continue;
    }
    const population = kinds.filter((k) => k === 'part_whole_population').length;
    list.forEach((l, i) => {
      const share = population > 0 ? (kinds[i] === 'part_whole_population' ? 1 / population : 0) : 1 / list.length;
      out.push({ ...l, kind: kinds[i]!, share, estimated: true });
    });
  }
  return out;
}
