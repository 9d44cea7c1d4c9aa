/**
 * A progress line's start, set once: a line that appears part-way through its time (a screen
 * reloaded mid-scene) starts part-way, and the clock's ticks do not move it again (a changing
 * animation-delay would run it at twice the speed).
 */
export function progressFrom(node: HTMLElement, elapsedMs: number) {
  node.style.animationDelay = `-${Math.max(0, Math.round(elapsedMs))}ms`;
}
