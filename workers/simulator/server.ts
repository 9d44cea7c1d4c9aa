/**
 * The district systems of the demo city, as HTTP APIs, each in its vendor's style:
 *   dossier  GET /motcua/api/v1/thong-ke-ngay?tuNgay&denNgay   x-api-key          JSON, commune/department × day
 *   eid      GET /vneid/api/v2/statistics?from&to              HTTP Basic         JSON, commune × day (stocks)
 *   payment  GET /ansinh/bao-cao/chi-tra.csv?tuThang&denThang  Bearer token       CSV,  commune × month
 *   task     GET /qlvb/api/nhiem-vu?tu_ngay&den_ngay           x-auth-token       JSON, district/commune/department tasks
 * Each answers for the units in force on each day asked (register.ts): in the demo, the districts and
 * their communes until 30/06/2025, the 126 communes and the city's departments since 01/07/2025, a new
 * commune's figures being its predecessors' ground truth continued, times the lineage's shares.
 * and two the seed does not configure (an administrator connects them by hand):
 *   eid v1   GET /vneid/api/v1/thong-ke?tu&den                 x-vneid-key        JSON, rows as arrays
 *   một cửa POST /mot-cua/api/bao-cao {tuNgay,denNgay,trang}   HTTP Basic         JSON, pages of 50 communes, district → commune
 * and the national public-service portal's 766 index for the province (portal-api.ts, values portal.ts):
 *   portal  POST /api/v1/reporting/evaluation/{transparency,dvc-progress-tree,provide-online-tree,
 *                formality-online-payment-tree,handling-satisfaction,dossier-digitized}
 *                {timeType,year,month|quarter | fromDate,toDate; rootDepartmentId,currentPage,pageSize}
 *                                                            no credentials     JSON 201 {code,data,message}, province → agencies and
 *                                                                               communes by portal code (H26.01…, H26.100…), month/quarter/year
 * Control endpoints (no auth, a demo tool): /_sim/overrides adjusts dossier values as a correction
 * at the source would (not what the portal has: it stays on the ground truth); /_sim/faults switches
 * a system into one of the faults of faults.ts (the portal also into or out of its end-of-month rush).
 */
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { dossierApi } from './dossiers-api.ts';
import type { DossierOverride } from './dossiers.ts';
import { eidApi } from './eid-api.ts';
import { eidLegacyApi } from './eid-legacy-api.ts';
import { DRIP_INTERVAL_MS, SYSTEMS, applyRowFault, parseFaultBody, parseFaultSpec, type Fault, type FaultKind, type SystemName } from './faults.ts';
import { jsonAnswer, type Answer, type SimUnit, type SystemApi } from './http.ts';
import { oneStopApi } from './mot-cua-api.ts';
import { createPortalRush, portalApis } from './portal-api.ts';
import { DEMO_KEYS, type DemoKeys } from '#server/seed/demo-keys';
import { paymentApi } from './payments-api.ts';
import { taskApi } from './tasks-api.ts';
import { Register } from './register.ts';

export type { SimUnit } from './http.ts';
export { MAX_RANGE_DAYS } from './dossiers-api.ts';

export interface SimulatorOptions {
  seed: string;
  /**
   * The city's units that report (not the city itself): districts, communes and departments, each
   * on its days in force (none: always); a unit formed at a reform with its predecessors (register.ts).
   */
  units: SimUnit[];
  /** Credentials the systems accept; defaults DEMO_KEYS. */
  keys?: Partial<DemoKeys>;
  now?: () => Date;
  /** Faults at start, in SIM_FAULTS syntax ("eid:http_5xx,payment:latency:2000"); throws if invalid. */
  faults?: string;
  /**
   * The national portal's end-of-month rush (portal-api.ts: a share of its requests answer 5xx on
   * the last two days of a month and the 1st); default on. false: never, unless the fault `rush` is set.
   */
  portalRush?: boolean;
}

const overrideSchema = z.object({
  unitCode: z.string().min(1),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  receivedDelta: z.number().int().min(0).max(1_000_000).optional(),
  onTimeRate: z.number().min(0).max(1).optional()
});

/** A system with its row type erased: what the request handler needs. */
interface Endpoint {
  system: SystemName;
  path: string;
  method: 'GET' | 'POST';
  error(status: number, message: string): Answer;
  /** The answer with no transport fault: 401, 400, or the data with the row/body fault applied. */
  answer(req: IncomingMessage, url: URL, at: Date, kind: FaultKind | undefined, body: string | undefined): Answer;
}

function endpoint<Row, Frame>(api: SystemApi<Row, Frame>): Endpoint {
  return {
    system: api.system,
    path: api.path,
    method: api.method ?? 'GET',
    error: api.error,
    answer(req, url, at, kind, body) {
      const denied = api.authenticate(req);
      if (denied) return denied;
      const result = api.query(url, at, body);
      if (typeof result === 'string') return api.error(400, result);
      if (kind === 'oversize') return api.oversize(result.rows, at, result.page, result.frame);
      const answer = api.render(applyRowFault(result.rows, kind, api.corrupt, result.unknownRow), at, result.page, result.frame);
      return kind === 'malformed' ? { ...answer, body: api.truncate(answer.body) } : answer;
    }
  };
}

export function createSimulator(options: SimulatorOptions) {
  const now = options.now ?? (() => new Date());
  const keys: DemoKeys = { ...DEMO_KEYS, ...options.keys };
  const faults = parseFaultSpec(options.faults);
  const overrides = new Map<string, DossierOverride>();
  const ctx = { seed: options.seed, units: options.units, register: new Register(options.units), keys };
  const endpoints = new Map(
    [
      endpoint(dossierApi(ctx, overrides)), endpoint(eidApi(ctx)), endpoint(eidLegacyApi(ctx)), endpoint(paymentApi(ctx)), endpoint(taskApi(ctx)), endpoint(oneStopApi(ctx)),
      ...portalApis(ctx).map(endpoint)
    ].map((e) => [e.path, e])
  );
  const rush = createPortalRush(options.seed, options.portalRush ?? true);
  // Timers of delayed and dripping answers: close() clears them so that the process can exit.
  const timers = new Set<NodeJS.Timeout>();

  function write(res: ServerResponse, answer: Answer) {
    res.writeHead(answer.status, { ...answer.headers, 'content-length': Buffer.byteLength(answer.body) });
    res.end(answer.body);
  }

  const send = (res: ServerResponse, status: number, body: unknown) => write(res, jsonAnswer(status, body));

  /** Resolves true after ms, or false as soon as the client has gone. */
  function wait(ms: number, res: ServerResponse): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve(true);
      }, ms);
      timers.add(timer);
      res.once('close', () => {
        clearTimeout(timer);
        timers.delete(timer);
        resolve(false);
      });
    });
  }

  /** Status and headers at once, then the body one byte every DRIP_INTERVAL_MS, then spaces, forever. */
  function drip(res: ServerResponse, answer: Answer) {
    const bytes = Buffer.from(answer.body);
    res.writeHead(answer.status, answer.headers); // no content-length: chunked, so the end never comes
    res.flushHeaders();
    let i = 0;
    const timer = setInterval(() => {
      res.write(i < bytes.length ? bytes.subarray(i, i + 1) : ' ');
      i++;
    }, DRIP_INTERVAL_MS);
    timers.add(timer);
    res.once('close', () => {
      clearInterval(timer);
      timers.delete(timer);
    });
  }

  async function serveSystem(e: Endpoint, req: IncomingMessage, res: ServerResponse, url: URL) {
    const fault: Fault | null = faults[e.system];
    // Transport faults come before the system looks at credentials, as a failing gateway would.
    if (fault?.fault === 'latency' && !(await wait(fault.ms ?? 0, res))) return;
    if (e.system === 'portal') {
      const rushed = rush.answer(now(), fault?.fault);
      if (rushed) return write(res, rushed);
    }
    if (fault?.fault === 'http_5xx') {
      const status = fault.status ?? 503;
      return write(res, e.error(status, `${status} ${STATUS_CODES[status] ?? 'Server Error'}`));
    }
    if (fault?.fault === 'timeout') return; // accepted, never answered: the socket stays open until the client gives up or close()
    if (fault?.fault === 'reset') return void req.socket.destroy();
    const body = e.method === 'POST' ? await readText(req).catch(() => undefined) : undefined;
    const answer = e.answer(req, url, now(), fault?.fault, body);
    if (fault?.fault === 'drip') return drip(res, answer);
    write(res, answer);
  }

  async function readText(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > 1_000_000) throw new Error('body too large');
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  async function readJson(req: IncomingMessage): Promise<unknown> {
    return JSON.parse((await readText(req)) || 'null');
  }

  async function controlFaults(req: IncomingMessage, res: ServerResponse, url: URL) {
    if (req.method === 'GET') return send(res, 200, faults);
    if (req.method === 'DELETE') {
      const system = url.searchParams.get('system');
      if (system === null) for (const s of SYSTEMS) faults[s] = null;
      else if ((SYSTEMS as readonly string[]).includes(system)) faults[system as SystemName] = null;
      else return send(res, 400, { error: `system: expected one of ${SYSTEMS.join(', ')}, got ${JSON.stringify(system)}` });
      return send(res, 200, faults);
    }
    if (req.method === 'POST') {
      const body = await readJson(req).catch(() => undefined);
      if (body === undefined) return send(res, 400, { error: 'body: not JSON' });
      const parsed = parseFaultBody(body);
      if (!parsed.ok) return send(res, 400, { error: parsed.error });
      faults[parsed.system] = parsed.fault;
      return send(res, 200, faults);
    }
    send(res, 405, { error: `method not allowed: ${req.method} /_sim/faults` });
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://simulator');
    if (url.pathname === '/healthz') return send(res, 200, { ok: true });
    const system = endpoints.get(url.pathname);
    if (system && req.method === system.method) return serveSystem(system, req, res, url);
    if (system) return write(res, system.error(405, `Phương thức ${req.method} không được hỗ trợ: dùng ${system.method} ${system.path}`));
    if (url.pathname === '/_sim/faults') return controlFaults(req, res, url);
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
    handle(req, res).catch((e) => {
      if (!res.headersSent) send(res, 500, { error: (e as Error).message });
      else res.destroy();
    });
  });

  return {
    server,
    listen(port: number, host = '127.0.0.1'): Promise<number> {
      return new Promise((resolve) => server.listen(port, host, () => resolve((server.address() as AddressInfo).port)));
    },
    /** Stops listening and ends every connection, the ones a timeout or drip fault holds open included. */
    close(): Promise<void> {
      for (const t of timers) clearTimeout(t); // clearTimeout clears intervals too
      timers.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      return closed;
    }
  };
}
