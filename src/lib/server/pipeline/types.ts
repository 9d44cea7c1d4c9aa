import type { RejectedRow } from '#db/schema/sources';

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

/** The failure of one poll, with the words an administrator reads in the poll history. */
export class SourceError extends Error {
  constructor(
    message: string,
    readonly stage: 'request' | 'response' | 'parse' | 'config',
    readonly httpStatus: number | null = null,
    readonly body: string | null = null,
    options?: { cause?: unknown; retryable?: boolean }
  ) {
    super(message, options);
    this.name = 'SourceError';
    this.retryable = options?.retryable ?? false;
  }
  readonly retryable: boolean;
  /** How many HTTP attempts were made before giving up. */
  attempts = 1;
}
