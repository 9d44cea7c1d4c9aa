/** The wall's scenes, in the order a playlist shows them (shared by the admin form and the wall). */
export const SCENES = ['kpis', 'board', 'map', 'movers', 'sources'] as const;
export type Scene = (typeof SCENES)[number];
export const SCENE_NAMES: Record<Scene, string> = {
  kpis: 'Chỉ số tổng hợp',
  board: 'Bảng xếp hạng',
  map: 'Bản đồ',
  movers: 'Tăng / giảm hạng',
  sources: 'Tình trạng nguồn dữ liệu'
};

export const isScene = (s: string): s is Scene => (SCENES as readonly string[]).includes(s);
