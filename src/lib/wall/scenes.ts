/** The wall's scenes, in the order a playlist shows them (shared by the admin form and the wall). */
export const SCENES = ['kpis', 'board', 'map', 'movers', '766', 'sources'] as const;
export type Scene = (typeof SCENES)[number];
export const SCENE_NAMES: Record<Scene, string> = {
  kpis: 'Chỉ số tổng hợp',
  board: 'Bảng xếp hạng',
  map: 'Bản đồ',
  movers: 'Tăng / giảm hạng',
  '766': 'Chỉ số 766',
  sources: 'Tình trạng nguồn dữ liệu'
};

export const isScene = (s: string): s is Scene => (SCENES as readonly string[]).includes(s);

/**
 * The scenes a screen plays. The decision on the 766 scene ("Chỉ số 766", the national portal's
 * monthly index): it is in the default playlist (a signed-in person's wall, a display token issued
 * with every scene, as the admin form ticks them), and it plays — in the default playlist or one an
 * administrator chose — only while the installation has the national_766 scheme with a month the
 * portal has published for the screen's scope (`has766`). Until then it is left out of the rotation,
 * so no screen turns to an empty scene; once the portal publishes, the screen reloads and plays it.
 * Pinned (`?scene=766`) it always shows, and says in words why it is empty. A playlist of the 766
 * scene alone keeps it, rather than falling back to other scenes the administrator did not choose.
 */
export function playingScenes(chosen: readonly string[], has766: boolean): Scene[] {
  const base = chosen.filter(isScene);
  const list = base.length ? base : [...SCENES];
  const playing = list.filter((s) => s !== '766' || has766);
  return playing.length ? playing : list;
}
