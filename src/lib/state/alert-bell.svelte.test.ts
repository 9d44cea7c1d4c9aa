import { describe, expect, it } from 'vitest';
import { AlertBell } from './alert-bell.svelte.ts';
import type { LiveSocket } from './socket.ts';

/** A socket the test drives: events it "receives", and the acknowledgements of what the bell asks. */
function fakeSocket(connected: boolean) {
  const handlers = new Map<string, ((...args: unknown[]) => void)[]>();
  const acks: ((result: unknown) => void)[] = [];
  const socket = {
    connected,
    on(event: string, h: (...args: unknown[]) => void) {
      handlers.set(event, [...(handlers.get(event) ?? []), h]);
    },
    off(event: string, h: (...args: unknown[]) => void) {
      handlers.set(event, (handlers.get(event) ?? []).filter((x) => x !== h));
    },
    emit(event: string, ack: (result: unknown) => void) {
      if (event === 'alerts:unread') acks.push(ack);
    }
  };
  const receive = (event: string, ...args: unknown[]) => {
    for (const h of handlers.get(event) ?? []) h(...args);
  };
  return { socket: socket as unknown as LiveSocket, acks, receive, listeners: (event: string) => (handlers.get(event) ?? []).length };
}

describe('AlertBell', () => {
  it('starts from the page’s count, follows the pushes to its person, and asks again at each connect', () => {
    const f = fakeSocket(false);
    const bell = new AlertBell(2);
    bell.connect(f.socket);
    expect(bell.unread).toBe(2);
    expect(f.acks).toHaveLength(0); // not connected yet: nothing asked
    f.receive('alerts:changed', { unread: 3 });
    expect(bell.unread).toBe(3);
    // A reconnect (alerts raised meanwhile were not pushed): the count is asked again.
    f.receive('connect');
    expect(f.acks).toHaveLength(1);
    f.acks[0]!({ data: { unread: 7 } });
    expect(bell.unread).toBe(7);
    // An error keeps what it shows.
    f.receive('connect');
    f.acks[1]!({ error: 'Kho dữ liệu tạm thời không truy cập được' });
    expect(bell.unread).toBe(7);
  });

  it('asks at once on a socket already connected, and lets go of it when destroyed', () => {
    const f = fakeSocket(true);
    const bell = new AlertBell(0);
    bell.connect(f.socket);
    expect(f.acks).toHaveLength(1);
    f.acks[0]!({ data: { unread: 1 } });
    expect(bell.unread).toBe(1);
    bell.destroy();
    expect(f.listeners('alerts:changed')).toBe(0);
    expect(f.listeners('connect')).toBe(0);
    f.receive('alerts:changed', { unread: 9 });
    expect(bell.unread).toBe(1);
  });
});
