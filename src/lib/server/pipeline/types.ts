import type { ErrorStage, RejectedRow } from '#db/schema/sources';
import type { Exchange } from './client.ts';

/** A sample in our terms, whatever the source system called it. */
export interface CanonicalSample {
  unitCode: string;
  metric: string;
  /** YYYY-MM-DD in Asia/Ho_Chi_Minh */
  date: string;
  value: number;
}

/**
 * One row of a source, as its mapping read it and before any check: the values are still
 * whatever the source sent. `row` is the row's position in the source's body (for the poll history).
 */
export interface RawRecord {
  row: number;
  unitCode: unknown;
  date: unknown;
  values: Record<string, unknown>;
}

/** One task of a task tracker, as its mapping read it, unchecked. */
export interface RawTask {
  row: number;
  id: unknown;
  unitCode: unknown;
  assigned: unknown;
  deadline: unknown;
  completed: unknown;
}

export interface MapResult {
  samples: CanonicalSample[];
  rejected: RejectedRow[];
}

/** What a source's credentials are, by auth kind (sealed at rest, never sent to a browser). */
export type Credentials =
  | { kind: 'none' }
  | { kind: 'api_key'; header: string; key: string }
  | { kind: 'basic'; username: string; password: string }
  | { kind: 'bearer'; token: string };

/**
 * The failure of one poll, with the words an administrator reads in the poll history, and where it
 * failed (ERROR_STAGES): connection (no answer, reset, timeout, refused address), http (a 4xx/5xx),
 * parse (a body that is not JSON / CSV), mapping (the mapping could not read the body), config
 * (the source's own set-up).
 */
export class SourceError extends Error {
  constructor(
    message: string,
    readonly stage: ErrorStage,
    readonly httpStatus: number | null = null,
    readonly body: string | null = null,
    options?: { cause?: unknown; retryable?: boolean; vendorMessage?: string | null }
  ) {
    super(message, options);
    this.name = 'SourceError';
    this.retryable = options?.retryable ?? false;
    this.vendorMessage = options?.vendorMessage ?? null;
  }
  readonly retryable: boolean;
  /** The vendor's own words on a 4xx/5xx (a JSON body's message field, else its text), trimmed. */
  readonly vendorMessage: string | null;
  /** How many HTTP attempts were made before giving up. */
  attempts = 1;
  /** The exchanges up to and including the failing one (set by fetchWindow; test connection shows them). */
  exchanges: Exchange[] = [];
}
