/**
 * The district systems of the demo city, as HTTP APIs. Today: the one-stop-shop dossier system
 * (vendor-style Vietnamese field names, API key auth, date-range queries for backfill).
 * A control endpoint adjusts values at run time, as a correction at the source would.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { datesBetween, parseDate, today } from '#domain/periods';
import { dossierDay, type DossierOverride } from './dossiers.ts';

export interface SimulatorOptions {
  seed: string;
  /** Commune GSO codes the system serves. */
  communeCodes: string[];
  dossierApiKey: string;
  now?: () => Date;
}

export const MAX_RANGE_DAYS = 400;

const overrideSchema = z.object({
  unitCode: z.string().min(1),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  receivedDelta: z.number().int().min(0).max(1_000_000).optional(),
  onTimeRate: z.number().min(0).max(1).optional()
});

export function createSimulator(options: SimulatorOptions) {
  const now = options.now ?? (() => new Date());
  const overrides = new Map<string, DossierOverride>();
  const communes = new Set(options.communeCodes);

  function send(res: ServerResponse, status: number, body: unknown) {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  async function readJson(req: IncomingMessage): Promise<unknown> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > 1_000_000) throw new Error('body too large');
      chunks.push(chunk as Buffer);
    }
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null');
  }

  function dossierRange(url: URL, res: ServerResponse) {
    const from = url.searchParams.get('tuNgay');
    const to = url.searchParams.get('denNgay');
    try {
      if (!from || !to) throw new Error('tuNgay và denNgay (YYYY-MM-DD) là bắt buộc');
      parseDate(from);
      parseDate(to);
    } catch (e) {
      return send(res, 400, { maLoi: 'THAM_SO', thongBao: (e as Error).message });
    }
    const at = now();
    const last = [to, today(at)].sort()[0]!;
    const days = from <= last ? datesBetween(from, last) : [];
    if (days.length > MAX_RANGE_DAYS) {
      return send(res, 400, { maLoi: 'THAM_SO', thongBao: `khoảng ngày tối đa ${MAX_RANGE_DAYS} ngày` });
    }
    const duLieu = [];
    for (const ngay of days) {
      for (const code of communes) {
        const d = dossierDay(options.seed, code, ngay, at, overrides.get(`${code}|${ngay}`));
        duLieu.push({
          maDonVi: code,
          ngay,
          tiepNhan: d.received,
          tiepNhanTrucTuyen: d.receivedOnline,
          daGiaiQuyet: d.resolved,
          giaiQuyetDungHan: d.resolvedOnTime,
          dangGiaiQuyetTrongHan: d.pendingOnTime,
          dangGiaiQuyetQuaHan: d.pendingOverdue
        });
      }
    }
    send(res, 200, { maHeThong: 'MOTCUA', thoiDiem: at.toISOString(), soBanGhi: duLieu.length, duLieu });
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://simulator');
    if (url.pathname === '/healthz') return send(res, 200, { ok: true });
    if (url.pathname === '/motcua/api/v1/thong-ke-ngay' && req.method === 'GET') {
      if (req.headers['x-api-key'] !== options.dossierApiKey) {
        return send(res, 401, { maLoi: 'XAC_THUC', thongBao: 'API key không hợp lệ' });
      }
      return dossierRange(url, res);
    }
    if (url.pathname === '/_sim/overrides') {
      if (req.method === 'DELETE') {
        overrides.clear();
        return send(res, 200, { cleared: true });
      }
      if (req.method === 'POST') {
        const parsed = overrideSchema.safeParse(await readJson(req).catch(() => undefined));
        if (!parsed.success) return send(res, 400, { error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
        overrides.set(`${parsed.data.unitCode}|${parsed.data.date}`, parsed.data);
        return send(res, 200, { overrides: overrides.size });
      }
    }
    send(res, 404, { error: `no such endpoint: ${req.method} ${url.pathname}` });
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e) => send(res, 500, { error: (e as Error).message }));
  });

  return {
    server,
    listen(port: number, host = '127.0.0.1'): Promise<number> {
      return new Promise((resolve) => server.listen(port, host, () => resolve((server.address() as AddressInfo).port)));
    },
    close(): Promise<void> {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    }
  };
}
