/**
 * The Socket.IO contract, one file for the server and the browser.
 * Server → browser events are past-tense facts; browser → server events are commands answered
 * by an acknowledgement `{ data } | { error }`.
 */
import type { Board, BoardQuery, SourceHealth } from './dto.ts';
import type { BoardPatch } from './board-patch.ts';

export type Ack<T> = { data: T } | { error: string };

export interface ServerToClientEvents {
  /** Sent on every connection: which deployment answers. A wall screen reloads itself when it changes. */
  'server:hello': (info: { release: string }) => void;
  /** A board the client subscribed to, whole: when the server had no copy of it to patch (its first read). */
  'rankings:updated': (board: Board) => void;
  /** A board the client subscribed to was recomputed: what changed since the revision it names. */
  'rankings:patched': (patch: BoardPatch) => void;
  /** The health of every source, whenever any of it changed (a poll, or time making one stale). */
  'source:health-changed': (sources: SourceHealth[]) => void;
  /** To one person (their user room): their alerts changed (one raised, or read elsewhere); how many are unread now. */
  'alerts:changed': (state: { unread: number }) => void;
}

export interface ClientToServerEvents {
  /** Join a board's room; the acknowledgement carries the current snapshot. */
  subscribe: (query: BoardQuery, ack: (result: Ack<Board>) => void) => void;
  unsubscribe: (query: BoardQuery, ack: (result: Ack<true>) => void) => void;
  /** Join the source-health room; the acknowledgement carries the current state. */
  watchSources: (ack: (result: Ack<SourceHealth[]>) => void) => void;
  /** How many of the signed-in person's alerts are unread (after a reconnect, the bell asks again). */
  'alerts:unread': (ack: (result: Ack<{ unread: number }>) => void) => void;
}

export const SOURCES_ROOM = 'sources';


/** One room per scheme, scope and period (kind + start date): `board:<scope>:<kind>:<start>:<scheme>`. */
export function boardRoom(scopeCode: string, kind: string, periodStart: string, scheme: string, basis?: 'published' | 'recomputed'): string {
  // The recomputed basis of a scheme with published scores is a board of its own (ranked otherwise).
  return `board:${scopeCode}:${kind}:${periodStart}:${scheme}${basis === 'recomputed' ? ':recomputed' : ''}`;
}
