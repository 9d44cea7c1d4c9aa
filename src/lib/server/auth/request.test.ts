import type { RequestEvent } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { cookieName } from '../../paraglide/runtime.js';
import { dataStoreUnavailable, forbidden } from './request.ts';

/** A page's GET, with the language cookie or none. */
const pageGet = (locale: 'vi' | 'en' | null) =>
  ({
    url: new URL('http://x/admin/sources'),
    request: new Request('http://x/admin/sources'),
    isDataRequest: false,
    cookies: { get: (name: string) => (name === cookieName && locale ? locale : undefined) }
  }) as unknown as RequestEvent;

describe('the 403 and 503 pages speak one language: the reader’s', () => {
  it('in Vietnamese (no cookie, or vi), without an English paragraph', async () => {
    for (const locale of [null, 'vi'] as const) {
      const unavailable = await dataStoreUnavailable(pageGet(locale)).text();
      expect(unavailable).toContain('<html lang="vi">');
      expect(unavailable).toContain('Kho dữ liệu tạm thời không truy cập được');
      expect(unavailable).not.toMatch(/data store|signed in|reloads/i);
      const refused = await forbidden(pageGet(locale)).text();
      expect(refused).toContain('403 — Không có quyền');
      expect(refused).not.toMatch(/not allowed|overview/i);
    }
  });
  it('in English when the reader chose English', async () => {
    const unavailable = await dataStoreUnavailable(pageGet('en')).text();
    expect(unavailable).toContain('<html lang="en">');
    expect(unavailable).toContain('The data store is temporarily unavailable');
    expect(unavailable).not.toContain('Kho dữ liệu');
    const refused = await forbidden(pageGet('en')).text();
    expect(refused).toContain('403 — Not allowed');
    expect(refused).toContain('You may not open this page.');
    expect(refused).not.toContain('Không có quyền');
  });
});
