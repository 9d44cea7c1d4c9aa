/** The data sources' health, kept current over Socket.IO (`watchSources`, then `sources:health`). */
import type { SourceHealth } from '#contract/dto';
import { liveSocket, type LiveSocket } from './socket.ts';

export class LiveSources {
  sources = $state<SourceHealth[]>([]);
  #socket: LiveSocket | undefined;
  #off: (() => void)[] = [];

  constructor(initial: SourceHealth[]) {
    this.sources = initial;
  }

  connect() {
    const socket = (this.#socket = liveSocket());
    const watch = () =>
      socket.emit('watchSources', (result) => {
        if ('data' in result) this.sources = result.data;
      });
    const onHealth = (sources: SourceHealth[]) => (this.sources = sources);
    socket.on('connect', watch);
    socket.on('source:health-changed', onHealth);
    this.#off.push(() => socket.off('connect', watch), () => socket.off('source:health-changed', onHealth));
    if (socket.connected) watch();
  }

  destroy() {
    for (const off of this.#off) off();
    this.#off = [];
    this.#socket = undefined;
  }
}

/**
 * The sources' health kept live while the calling component lives, starting from the page's
 * snapshot; `current` is the snapshot until the socket has something newer.
 */
export function liveSources(initial: () => SourceHealth[] | null): { readonly current: SourceHealth[] | null } {
  let live = $state<LiveSources>();
  $effect(() => {
    const snapshot = initial();
    if (!snapshot) return;
    const s = new LiveSources(snapshot);
    live = s;
    s.connect();
    return () => {
      s.destroy();
      live = undefined;
    };
  });
  return {
    get current() {
      return live?.sources ?? initial();
    }
  };
}
