/**
 * Bursts of live updates become one repaint: the first update waits `quietMs` for more, then the
 * newest is applied; updates never wait longer than `maxWaitMs`. A wall screen so never flickers
 * through a series of recomputed boards.
 */
export class Coalescer<T> {
  #pending: { value: T } | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #firstAt = 0;

  constructor(
    private readonly apply: (value: T) => void,
    private readonly quietMs = 600,
    private readonly maxWaitMs = 2000,
    private readonly now: () => number = () => Date.now()
  ) {}

  push(value: T): void {
    if (!this.#pending) this.#firstAt = this.now();
    this.#pending = { value };
    clearTimeout(this.#timer);
    const wait = Math.min(this.quietMs, Math.max(0, this.#firstAt + this.maxWaitMs - this.now()));
    this.#timer = setTimeout(() => this.flush(), wait);
  }

  flush(): void {
    clearTimeout(this.#timer);
    const pending = this.#pending;
    this.#pending = null;
    if (pending) this.apply(pending.value);
  }

  destroy(): void {
    clearTimeout(this.#timer);
    this.#pending = null;
  }
}
