/**
 * The one way the workers call a district system: a prepared request (request.ts: GET or POST,
 * headers, body, credentials), a timeout over the whole exchange (headers and body), a cap on the
 * body, and a few retries with jittered exponential backoff for the failures that a second try can
 * cure (no connection, a timeout, 5xx, 429). Every 2xx is a success; on a 4xx/5xx the vendor's own
 * words are kept (vendorMessage) and shown.
 */
import { ExponentialBackoff, handleWhen, retry } from 'cockatiel';
import { SourceError } from './types.ts';
import { checkSourceUrlShape, egressRefusal, guardedDispatcher } from './ssrf.ts';
import { describeRequest, type DescribedRequest, type PreparedRequest } from './request.ts';
import { egressPolicy } from '../config.ts';
import { ERROR_BODY_KEPT_CHARS, SOURCE_RESPONSE_MAX_BYTES } from '../limits.ts';

export { authHeaders } from './request.ts';

export interface RetryPolicy {
  /** Attempts in all (1 = no retry). */
  attempts: number;
  /** The first wait; later ones grow exponentially, with decorrelated jitter. */
  baseDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 500 };

/** What a person is shown of a response: the first 64 KB of the body, pretty-printed when JSON. */
export const SHOWN_BODY_CHARS = 64 * 1024;

export interface Fetched {
  status: number;
  contentType: string | null;
  body: string;
}

/** One request and its response (null: no answer), as test connection shows them. */
export interface Exchange {
  request: DescribedRequest;
  response: { status: number; contentType: string | null; body: string; truncated: boolean } | null;
}

/** A body as a person reads it: JSON pretty-printed, then cut at 64 KB. */
export function shownBody(body: string, contentType: string | null): { body: string; truncated: boolean } {
  let text = body;
  if (/json/i.test(contentType ?? '') || /^\s*[[{]/.test(body)) {
    try {
      if (body.length <= 4 * SHOWN_BODY_CHARS) text = JSON.stringify(JSON.parse(body), null, 2);
      else {
        // Pretty-printing 10 MB to show 64 KB of it: indent the start only.
        text = JSON.stringify(JSON.parse(body), null, 2).slice(0, SHOWN_BODY_CHARS + 1);
      }
    } catch {
      /* not JSON after all: shown as it came */
    }
  }
  return text.length > SHOWN_BODY_CHARS ? { body: text.slice(0, SHOWN_BODY_CHARS), truncated: true } : { body: text, truncated: false };
}

export function exchangeOf(prepared: PreparedRequest, response: Fetched | null): Exchange {
  return { request: describeRequest(prepared), response: response && { status: response.status, contentType: response.contentType, ...shownBody(response.body, response.contentType) } };
}

const MESSAGE_FIELDS = ['thongBao', 'thongbao', 'moTa', 'mota', 'message', 'msg', 'error_description', 'errorMessage', 'detail', 'error', 'loi', 'noiDung', 'description', 'title'];

function messageIn(json: unknown, depth: number): string | null {
  if (typeof json === 'string') return json.trim() || null;
  if (typeof json !== 'object' || json === null || depth > 2) return null;
  if (Array.isArray(json)) {
    for (const x of json.slice(0, 5)) {
      const m = messageIn(x, depth + 1);
      if (m) return m;
    }
    return null;
  }
  const entries = Object.entries(json);
  for (const name of MESSAGE_FIELDS) {
    const hit = entries.find(([k]) => k.toLowerCase() === name.toLowerCase());
    if (hit) {
      const m = messageIn(hit[1], depth + 1);
      if (m) return m;
    }
  }
  for (const key of ['errors', 'data', 'result', 'ketQua']) {
    const hit = entries.find(([k]) => k === key);
    if (hit) {
      const m = messageIn(hit[1], depth + 1);
      if (m) return m;
    }
  }
  return null;
}

/** The vendor's own words in an error body: a JSON body's message field (message, error, thongBao, moTa, …), else its text; at most 500 characters. */
export function vendorMessageOf(body: string, contentType: string | null): string | null {
  let text: string | null = null;
  try {
    text = messageIn(JSON.parse(body), 0);
  } catch {
    text = /html/i.test(contentType ?? '') || /^\s*</.test(body)
      ? body.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]*>/g, ' ')
      : body;
  }
  const trimmed = text?.replace(/\s+/g, ' ').trim();
  if (!trimmed) return null;
  return trimmed.length > 500 ? `${trimmed.slice(0, 499)}…` : trimmed;
}

/** One bounded request. Every 2xx is a success; anything else a SourceError with its stage, in words. */
export async function fetchText(prepared: PreparedRequest, options: { timeoutMs: number; maxBytes?: number }): Promise<Fetched> {
  const maxBytes = options.maxBytes ?? SOURCE_RESPONSE_MAX_BYTES;
  const url = prepared.url;
  // SSRF guard: the URL's shape here, its destination when the connection opens (guardedDispatcher, one per SOURCE_ALLOWED_HOSTS).
  const shapeRefusal = checkSourceUrlShape(url);
  if (shapeRefusal) throw new SourceError(shapeRefusal, 'connection', null, null, { retryable: false });
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
    const init: RequestInit & { dispatcher: typeof dispatcher } = {
      method: prepared.method, headers: prepared.headers, body: prepared.method === 'GET' ? undefined : (prepared.body ?? undefined),
      signal, redirect: 'error', dispatcher
    };
    response = await fetch(url, init);
  } catch (cause) {
    const refused = egressRefusal(cause);
    if (refused) throw new SourceError(refused.message, 'connection', null, null, { cause, retryable: false });
    const detail = (cause as Error).cause ? String((cause as Error).cause) : (cause as Error).message;
    const why = signal.aborted ? `nguồn không trả lời trong ${options.timeoutMs} ms` : `không kết nối được hoặc kết nối bị ngắt (${detail})`;
    throw new SourceError(why, 'connection', null, null, { cause, retryable: true });
  }
  const contentType = response.headers.get('content-type');
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
        throw new SourceError(`dữ liệu trả về lớn hơn ${Math.round(maxBytes / 1048576)} MB: bị từ chối`, 'http', response.status);
      }
      chunks.push(value);
    }
  } catch (cause) {
    if (cause instanceof SourceError) throw cause;
    const why = signal.aborted
      ? `dữ liệu trả về chưa xong sau ${options.timeoutMs} ms (đã nhận ${size} byte)`
      : `dữ liệu trả về bị ngắt sau ${size} byte (${(cause as Error).message})`;
    throw new SourceError(why, 'connection', response.status, null, { cause, retryable: true });
  }
  const body = Buffer.concat(chunks).toString('utf8');
  if (response.status < 200 || response.status > 299) {
    const retryable = response.status >= 500 || response.status === 429;
    const vendorMessage = vendorMessageOf(body, contentType);
    const error = new SourceError(
      `HTTP ${response.status} từ nguồn${vendorMessage ? `: «${vendorMessage}»` : ''}`,
      'http', response.status, body.slice(0, ERROR_BODY_KEPT_CHARS), { retryable, vendorMessage }
    );
    error.exchanges = [exchangeOf(prepared, { status: response.status, contentType, body })];
    throw error;
  }
  return { status: response.status, contentType, body };
}

/** fetchText, retried on transient failures (cockatiel, decorrelated-jitter exponential backoff); reports how many attempts it took. */
export async function fetchWithRetry(
  prepared: PreparedRequest,
  options: { timeoutMs: number; retry?: RetryPolicy; maxBytes?: number }
): Promise<Fetched & { attempts: number }> {
  const policy = options.retry ?? DEFAULT_RETRY;
  const retrying = retry(
    handleWhen((e) => e instanceof SourceError && e.retryable),
    { maxAttempts: Math.max(0, policy.attempts - 1), backoff: new ExponentialBackoff({ initialDelay: policy.baseDelayMs, maxDelay: 5_000 }) }
  );
  let attempts = 0;
  try {
    return await retrying.execute(async () => {
      attempts++;
      return { ...(await fetchText(prepared, options)), attempts };
    });
  } catch (e) {
    if (e instanceof SourceError) {
      if (attempts > 1) {
        e.message = `${e.message} (sau ${attempts} lần thử)`;
        e.attempts = attempts;
      }
      if (!e.exchanges.length) e.exchanges = [exchangeOf(prepared, null)];
    }
    throw e;
  }
}
