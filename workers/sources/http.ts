import type { Credentials } from './types.ts';
import { SourceError } from './types.ts';

export const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** One bounded GET: a timeout over the whole exchange and a cap on the body size. */
export async function fetchText(
  url: string,
  credentials: Credentials,
  options: { timeoutMs: number; maxBytes?: number }
): Promise<{ status: number; body: string }> {
  const maxBytes = options.maxBytes ?? MAX_BODY_BYTES;
  const headers: Record<string, string> = { accept: 'application/json, text/csv;q=0.9' };
  if (credentials.kind === 'api_key') headers[credentials.header] = credentials.key;
  const signal = AbortSignal.timeout(options.timeoutMs);
  let response: Response;
  try {
    response = await fetch(url, { headers, signal, redirect: 'error' });
  } catch (cause) {
    const why = signal.aborted ? `no answer within ${options.timeoutMs} ms` : `could not connect (${(cause as Error).cause ?? (cause as Error).message})`;
    throw new SourceError(why, 'request', null, null, { cause });
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
        await reader.cancel();
        throw new SourceError(`response larger than ${Math.round(maxBytes / 1048576)} MB: refused`, 'response', response.status);
      }
      chunks.push(value);
    }
  } catch (cause) {
    if (cause instanceof SourceError) throw cause;
    const why = signal.aborted ? `response not finished within ${options.timeoutMs} ms` : `response broke off (${(cause as Error).message})`;
    throw new SourceError(why, 'response', response.status, null, { cause });
  }
  const body = Buffer.concat(chunks).toString('utf8');
  if (!response.ok) {
    throw new SourceError(`HTTP ${response.status} from the source`, 'response', response.status, body.slice(0, 64 * 1024));
  }
  return { status: response.status, body };
}
