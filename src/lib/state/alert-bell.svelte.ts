/** The bell's unread count, kept live over Socket.IO (`alerts:changed` to the person's own room; asked again after each connect). */
import { liveSocket, type LiveSocket } from './socket.ts';

export class AlertBell {
  unread = $state(0);
  #socket: LiveSocket | undefined;
  #off: (() => void)[] = [];

  constructor(initial: number) {
    this.unread = initial;
  }

  connect(socket: LiveSocket = liveSocket()) {
    this.#socket = socket;
    const ask = () =>
      socket.emit('alerts:unread', (result) => {
        if ('data' in result) this.unread = result.data.unread;
      });
    const onChanged = (state: { unread: number }) => (this.unread = state.unread);
    socket.on('connect', ask);
    socket.on('alerts:changed', onChanged);
    this.#off.push(() => socket.off('connect', ask), () => socket.off('alerts:changed', onChanged));
    if (socket.connected) ask();
  }

  destroy() {
    for (const off of this.#off) off();
    this.#off = [];
    this.#socket = undefined;
  }
}
