/**
 * A wall screen's link to the server: live / reconnecting / offline (with the time it went down),
 * a refused token (revoked, expired) found out while running, and reloading itself when a new
 * deployment answers. Board and source data stay on screen whatever happens here.
 */
import { liveSocket, type LiveSocket } from './socket.ts';

export type WallLink = 'connecting' | 'live' | 'reconnecting' | 'offline';
export type Refusal = 'revoked' | 'expired' | 'unknown' | 'missing';

export interface WallLinkOptions {
  /** After this long without the server, "reconnecting" becomes "offline". */
  offlineAfterMs?: number;
  /** How often the token and the deployment are checked while all is well. */
  statusEveryMs?: number;
  reload?: () => void;
}

export class WallConnection {
  link = $state<WallLink>('connecting');
  /** When the server was last lost (ISO), while it is; null when live. */
  offlineSince = $state<string | null>(null);
  refused = $state<Refusal | null>(null);
  /** Bumped each time the link comes back after a loss: the page then reloads its data. */
  resyncs = $state(0);

  #release: string;
  #opts: Required<WallLinkOptions>;
  #socket: LiveSocket | undefined;
  #off: (() => void)[] = [];
  #offlineTimer: ReturnType<typeof setTimeout> | undefined;
  #statusTimer: ReturnType<typeof setInterval> | undefined;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #wasDown = false;

  constructor(release: string, opts: WallLinkOptions = {}) {
    this.#release = release;
    this.#opts = { offlineAfterMs: 20_000, statusEveryMs: 60_000, reload: () => location.reload(), ...opts };
  }

  connect() {
    const socket = (this.#socket = liveSocket());
    const onConnect = () => {
      clearTimeout(this.#offlineTimer);
      this.link = 'live';
      this.offlineSince = null;
      if (this.#wasDown) this.resyncs++;
      this.#wasDown = false;
    };
    const onDown = () => this.#down();
    const onRefused = () => {
      this.#down();
      // Refused at sign-in (Socket.IO then stops trying): is the token still good?
      if (!socket.active) void this.#checkStatus(true);
    };
    const onHello = ({ release }: { release: string }) => {
      if (release !== this.#release) this.#opts.reload();
    };
    const onBrowserOffline = () => this.#down();
    // The network is back: a socket that survived the loss is live again at once; one that did not
    // reconnects by itself (and `connect` then clears the banner).
    const onBrowserOnline = () => {
      if (socket.connected) onConnect();
    };
    socket.on('connect', onConnect);
    socket.on('disconnect', onDown);
    socket.on('connect_error', onRefused);
    socket.on('server:hello', onHello);
    window.addEventListener('offline', onBrowserOffline);
    window.addEventListener('online', onBrowserOnline);
    this.#off.push(
      () => socket.off('connect', onConnect),
      () => socket.off('disconnect', onDown),
      () => socket.off('connect_error', onRefused),
      () => socket.off('server:hello', onHello),
      () => window.removeEventListener('offline', onBrowserOffline),
      () => window.removeEventListener('online', onBrowserOnline)
    );
    if (socket.connected) onConnect();
    this.#statusTimer = setInterval(() => void this.#checkStatus(false), this.#opts.statusEveryMs);
  }

  #down() {
    if (this.offlineSince === null) this.offlineSince = new Date().toISOString();
    this.#wasDown = true;
    if (this.link !== 'offline') {
      this.link = 'reconnecting';
      clearTimeout(this.#offlineTimer);
      this.#offlineTimer = setTimeout(() => (this.link = 'offline'), this.#opts.offlineAfterMs);
    }
  }

  /** Asks the server about this screen's token; `retry`: the socket was refused, so connect again once it is good. */
  async #checkStatus(retry: boolean) {
    clearTimeout(this.#retryTimer);
    try {
      const r = await fetch('/wall/status', { cache: 'no-store' });
      if (!r.ok) throw new Error(`HTTP ${r.status}`);
      const status = (await r.json()) as { state: 'ok' | Refusal; release: string };
      if (status.state !== 'ok') {
        this.refused = status.state;
        return;
      }
      if (status.release !== this.#release) return this.#opts.reload();
      if (retry) this.#retryTimer = setTimeout(() => this.#socket?.connect(), 5000);
    } catch {
      // The server is not answering: keep the last data, try again.
      if (retry) this.#retryTimer = setTimeout(() => void this.#checkStatus(true), 10_000);
    }
  }

  destroy() {
    clearTimeout(this.#offlineTimer);
    clearTimeout(this.#retryTimer);
    clearInterval(this.#statusTimer);
    for (const off of this.#off) off();
    this.#off = [];
  }
}
