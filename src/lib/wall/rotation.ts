/**
 * The wall's playlist: scenes in turn, each for its dwell time; a scene pinned from the URL stays.
 * Pure, so the order and the timing are unit-tested; the page drives it with one timer.
 */
export interface Playlist {
  scenes: readonly string[];
  dwellSeconds: number;
}

/** The scene showing `elapsedMs` after the rotation started, and how long it has left. */
export function sceneAt(playlist: Playlist, elapsedMs: number, pinned: string | null = null): { scene: string; index: number; remainingMs: number } {
  if (pinned !== null) return { scene: pinned, index: Math.max(0, playlist.scenes.indexOf(pinned)), remainingMs: Infinity };
  if (playlist.scenes.length === 0) throw new Error('a playlist needs at least one scene');
  const dwell = Math.max(1, playlist.dwellSeconds) * 1000;
  const slot = Math.floor(Math.max(0, elapsedMs) / dwell);
  const index = slot % playlist.scenes.length;
  return { scene: playlist.scenes[index]!, index, remainingMs: dwell - (Math.max(0, elapsedMs) % dwell) };
}
