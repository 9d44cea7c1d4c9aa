/**
 * The wall's playlist: scenes in turn, each for its dwell time; a scene pinned from the URL stays.
 * A scene may ask for longer than the dwell time (the board of 126 communes shows its pages one
 * after another, src/lib/wall/board-pages.ts). Pure, so the order and the timing are unit-tested;
 * the page drives it with one timer.
 */
export interface Playlist {
  scenes: readonly string[];
  dwellSeconds: number;
  /** A scene's own time where it is longer than the dwell time (seconds, by scene key). */
  sceneSeconds?: Readonly<Record<string, number>>;
}

export interface SceneSlot {
  scene: string;
  index: number;
  /** Left of this showing of the scene (Infinity when pinned). */
  remainingMs: number;
  /** Since this showing of the scene began (since the start when pinned): a scene's own pages follow it. */
  elapsedMs: number;
  /** This scene's time (Infinity when pinned). */
  durationMs: number;
  /** Counts the showings since the start: a new one restarts the progress line. */
  showing: number;
}

const secondsOf = (playlist: Playlist, scene: string) => Math.max(1, playlist.dwellSeconds, playlist.sceneSeconds?.[scene] ?? 0);

/** The scene showing `elapsedMs` after the rotation started, how long it has shown and has left. */
export function sceneAt(playlist: Playlist, elapsedMs: number, pinned: string | null = null): SceneSlot {
  const elapsed = Math.max(0, elapsedMs);
  if (pinned !== null) {
    return { scene: pinned, index: Math.max(0, playlist.scenes.indexOf(pinned)), remainingMs: Infinity, elapsedMs: elapsed, durationMs: Infinity, showing: 0 };
  }
  if (playlist.scenes.length === 0) throw new Error('a playlist needs at least one scene');
  const durations = playlist.scenes.map((s) => secondsOf(playlist, s) * 1000);
  const cycle = durations.reduce((a, b) => a + b, 0);
  const round = Math.floor(elapsed / cycle);
  let at = elapsed - round * cycle;
  let index = 0;
  while (at >= durations[index]!) at -= durations[index++]!;
  const durationMs = durations[index]!;
  return { scene: playlist.scenes[index]!, index, remainingMs: durationMs - at, elapsedMs: at, durationMs, showing: round * playlist.scenes.length + index };
}
