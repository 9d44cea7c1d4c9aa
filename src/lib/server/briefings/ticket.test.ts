import { describe, expect, it } from 'vitest';
import { mintTicket, spendTicket, TICKET_LIFETIME_MS } from './ticket.ts';
import { contentDisposition, printUrl } from './render.ts';
import { parseBriefingQuery } from './query.ts';

const Q = { scope: '01', period: 'report_month' as const, date: '2026-11-14' };

describe('print tickets', () => {
  it('open once, for their user, page and language', () => {
    const t = mintTicket(Q, 7, 'vi', 1_000);
    expect(spendTicket(t, 2_000)).toMatchObject({ ...Q, userId: 7, locale: 'vi', exp: 1_000 + TICKET_LIFETIME_MS });
    expect(spendTicket(t, 2_000)).toBeNull();
  });

  it('refuse a ticket expired, altered or made up', () => {
    expect(spendTicket(mintTicket(Q, 7, 'vi', 0), TICKET_LIFETIME_MS)).toBeNull();
    const [body, mac] = mintTicket(Q, 7, 'vi').split('.');
    const other = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body!, 'base64url').toString()), userId: 1 })).toString('base64url');
    expect(spendTicket(`${other}.${mac}`)).toBeNull();
    expect(spendTicket('abc.def')).toBeNull();
    expect(spendTicket('')).toBeNull();
  });
});

describe('the briefing request', () => {
  it('names the bad parameter in the reader’s language, and keeps the defaults for the rest', () => {
    const url = (q: string) => new URL(`http://x/api/v1/briefings?${q}`);
    expect(parseBriefingQuery(url('date=2026-10-01'), Q, 'vi')).toEqual({ ok: true, query: { ...Q, date: '2026-10-01' } });
    expect(parseBriefingQuery(url('period=monthly'), Q, 'vi')).toMatchObject({ ok: false, param: 'period', message: expect.stringMatching(/^Tham số period không hợp lệ \("monthly"\): cần một loại kỳ: day, week/) });
    expect(parseBriefingQuery(url('scope=a b'), Q, 'en')).toMatchObject({ ok: false, param: 'scope', message: 'The parameter scope is not valid ("a b"): must be a unit\'s code, e.g. 01.' });
  });

  it('prints a fixed URL and names the file in ASCII and in words', () => {
    expect(printUrl('http://127.0.0.1:3000/', Q)).toBe('http://127.0.0.1:3000/briefings/print?scope=01&period=report_month&date=2026-11-14');
    expect(contentDisposition('bao-cao giao-ban.pdf', 'Báo cáo giao ban - Hà Nội - Tháng 11/2026: "x".pdf')).toBe(
      `attachment; filename="bao-cao-giao-ban.pdf"; filename*=UTF-8''${encodeURIComponent('Báo cáo giao ban - Hà Nội - Tháng 11-2026- -x-.pdf')}`
    );
  });
});
