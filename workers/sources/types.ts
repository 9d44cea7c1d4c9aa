import type { RejectedRow } from '#db/schema/sources';

/** A sample in our terms, whatever the source system called it. */
export interface CanonicalSample {
  unitCode: string;
  metric: string;
  /** YYYY-MM-DD in Asia/Ho_Chi_Minh */
  date: string;
  value: number;
}

export interface MapResult {
  samples: CanonicalSample[];
  rejected: RejectedRow[];
}

/** What a source's credentials open to, by auth kind. */
export type Credentials = { kind: 'none' } | { kind: 'api_key'; header: string; key: string };

export interface SourceAdapter {
  /** data_sources.kind */
  kind: string;
  /** Maps a response body to canonical samples; every bad row is rejected with a reason, the good ones kept. */
  map(body: string): MapResult;
}

/** The failure of one poll, with the words an administrator reads in the poll history. */
export class SourceError extends Error {
  constructor(
    message: string,
    readonly stage: 'request' | 'response' | 'parse',
    readonly httpStatus: number | null = null,
    readonly body: string | null = null,
    options?: { cause?: unknown }
  ) {
    super(message, options);
    this.name = 'SourceError';
  }
}
