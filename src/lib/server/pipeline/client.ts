/**
 * The one way the workers call a district system: a GET with the source's credentials, a timeout
 * over the whole exchange (headers and body), a cap on the body, and a few retries with jittered
 * exponential backoff for the failures that a second try can cure (no connection, a timeout, 5xx, 429).
 */
import { ExponentialBackoff, handleWhen, retry } from 'cockatiel';
import type { Credentials } from './types.ts';
import { SourceError } from './types.ts';
import { checkSourceUrlShape, egressRefusal, guardedDispatcher } from './ssrf.ts';
import { egressPolicy } from '../config.ts';
import { ERROR_BODY_KEPT_CHARS, SOURCE_RESPONSE_MAX_BYTES } from '../limits.ts';

export interface RetryPolicy {
  /** Attempts in all (1 = no retry). */
  attempts: number;
  /** The first wait; later ones grow exponentially, with decorrelated jitter. */
  baseDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 500 };

export function authHeaders(credentials: Credentials): Record<string, string> {
  switch (credentials.kind) {
    case 'api_key':
      return { [credentials.header]: credentials.key };
    case 'basic':
      return { authorization: `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}` };
    case 'bearer':
      return { authorization: `Bearer ${credentials.token}` };
    default:
      return {};
  }
}

/** One bounded GET. */
export async function fetchText(
  url: string,
  credentials: Credentials,
  options: { timeoutMs: number; maxBytes?: number }
): Promise<{ status: number; body: string }> {
  const maxBytes = options.maxBytes ?? SOURCE_RESPONSE_MAX_BYTES;
  const headers: Record<string, string> = { accept: 'application/json, text/csv;q=0.9', ...authHeaders(credentials) };
  // SSRF guard: the URL's shape here, its destination when the connection opens (guardedDispatcher, one per SOURCE_ALLOWED_HOSTS).
  const shapeRefusal = checkSourceUrlShape(url);
  if (shapeRefusal) throw new SourceError(shapeRefusal, 'request', null, null, { retryable: false });
  let dispatcher: ReturnType<typeof guardedDispatcher>;
  try {
    dispatcher = guardedDispatcher(egressPolicy());
  } catch (cause) {
    throw new SourceError((cause as Error).message, 'config', null, null, { cause, retryable: false });
  }
  const signal = AbortSignal.timeout(options.timeoutMs);
  let response: Response;
  try {
    // Node's fetch takes an undici dispatcher; the DOM RequestInit type does not name it.
    const init: RequestInit & { dispatcher: typeof dispatcher } = { headers, signal, redirect: 'error', dispatcher };
    response = await fetch(url, init);
  } catch (cause) {
    const refused = egressRefusal(cause);
    if (refused) throw new SourceError(refused.message, 'request', null, null, { cause, retryable: false });
    const detail = (cause as Error).cause ? String((cause as Error).cause) : (cause as Error).message;
    const why = signal.aborted ? `no answer within ${options.timeoutMs} ms` : `could not connect or the connection was reset (${detail})`;
    throw new SourceError(why, 'request', null, null, { cause, retryable: true });
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    const reader = response.body?.getReader();
    while (reader) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => {});
        throw new SourceError(`response larger than ${Math.round(maxBytes / 1048576)} MB: refused`, 'response', response.status);
      }
      chunks.push(value);
    }
  } catch (cause) {
    if (cause instanceof SourceError) throw cause;
    const why = signal.aborted
      ? `response not finished within ${options.timeoutMs} ms (${size} bytes received)`
      : `response broke off after ${size} bytes (${(cause as Error).message})`;
    throw new SourceError(why, 'response', response.status, null, { cause, retryable: true });
  }
  const body = Buffer.concat(chunks).toString('utf8');
  if (!response.ok) {
    const retryable = response.status >= 500 || response.status === 429;
    throw new SourceError(`HTTP ${response.status} from the source`, 'response', response.status, body.slice(0, ERROR_BODY_KEPT_CHARS), { retryable });
  }
  return { status: response.status, body };
}

/** fetchText, retried on transient failures (cockatiel, decorrelated-jitter exponential backoff); reports how many attempts it took. */
export async function fetchWithRetry(
  url: string,
  credentials: Credentials,
  options: { timeoutMs: number; retry?: RetryPolicy; maxBytes?: number }
): Promise<{ status: number; body: string; attempts: number }> {
  const policy = options.retry ?? DEFAULT_RETRY;
  const retrying = retry(
    handleWhen((e) => e instanceof SourceError && e.retryable),
    { maxAttempts: Math.max(0, policy.attempts - 1), backoff: new ExponentialBackoff({ initialDelay: policy.baseDelayMs, maxDelay: 5_000 }) }
  );
  let attempts = 0;
  try {
    return await retrying.execute(async () => {
      attempts++;
      return { ...(await fetchText(url, credentials, options)), attempts };
    });
  } catch (e) {
    if (e instanceof SourceError && attempts > 1) {
      e.message = `${e.message} (after ${attempts} attempts)`;
      e.attempts = attempts;
    }
    throw e;
  }
}
