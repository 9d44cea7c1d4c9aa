/** The national portal's 766 API over HTTP (portal-api.ts): shapes, envelope, paging, periods, publication, rush, faults. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPortalCodes } from '#server/seed/portal-codes';
import { FAULT_OFFSETS, UNKNOWN_UNIT_CODES } from './faults.ts';
import { PORTAL_PATHS, RUSH_SHARE, inRush, periodOfDates, type PortalEndpoint } from './portal-api.ts';
import { GROUP_MAX, demoPortalBook, portalPeriod, portalValues, type PortalUnitValues } from './portal.ts';
import { hanoiSimUnits, startSimulator } from './test-kit.ts';

const SEED = 'test';
/** Friday 20 November 2026, 12:00 ICT: October published, November not; no rush. */
const NOW = new Date('2026-11-20T05:00:00Z');
const ROOT = loadPortalCodes()[0]!.portalId;
const OCT = { timeType: 'month', year: 2026, month: 10 };
const OCT_DATES = { fromDate: '2026-10-01', toDate: '2026-10-31' };
const units = hanoiSimUnits();
const book = demoPortalBook(SEED);

type Sim = Awaited<ReturnType<typeof startSimulator>>;
let s: Sim;
beforeAll(async () => {
  s = await startSimulator({ seed: SEED, units, now: () => NOW });
});
afterAll(() => s.sim.close());

type Body = { code: string; data: Record<string, unknown> & { children?: Record<string, unknown>[]; evaluation?: Record<string, unknown>[] }; message: string };

async function post(sim: Sim, endpoint: PortalEndpoint, body: unknown, raw = false) {
  const r = await fetch(sim.base + PORTAL_PATHS[endpoint], { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw ? (body as string) : JSON.stringify(body) });
  const text = await r.text();
  let json: Body | null = null;
  try {
    json = JSON.parse(text) as Body;
  } catch {
    /* a gateway's HTML page, a cut body */
  }
  return { status: r.status, type: r.headers.get('content-type'), text, json };
}

const periodBody = (endpoint: PortalEndpoint, extra: Record<string, unknown> = {}) => ({
  ...(endpoint === 'satisfaction' ? OCT_DATES : OCT),
  rootDepartmentId: ROOT,
  currentPage: 1,
  pageSize: 200,
  ...extra
});
const childrenOf = (b: Body) => (b.data.children ?? b.data.evaluation)!;
const ALL: PortalEndpoint[] = ['transparency', 'progress', 'online', 'payment', 'satisfaction', 'digitization'];

const ID = ['departmentId', 'departmentName'];
const CODE = ['departmentId', 'departmentName', 'departmentCode'];
const KIND = ['departmentType', 'departmentLevel', 'agencyLevel'];
const PAYMENT = [
  'totalScore', 'totalMaxScore', 'ratio', 'totalDossierOnlinePaymentSuccess', 'totalDossierFinancialObligation', 'totalDossierOnlineFormalityPaymentSuccess',
  'totalFeeDossierFormalityDistinct', 'totalFeeDossierFormality', 'totalFeeFormality'
];
/** Every field of the spec, in the order written: data, parent / overview, child. */
const SHAPES: Record<PortalEndpoint, { data: string[]; head: string[]; child: string[] }> = {
  transparency: {
    data: ['overview', 'evaluation', 'monthlyChart', 'pagination', 'source'],
    head: [...ID, ...KIND, 'totalScore', 'totalMaxScore', 'ratio', 'scoreDelta', 'averageScore', 'metrics'],
    child: ['stt', ...ID, ...KIND, 'totalScore', 'totalMaxScore', 'ratio', 'scoreDelta', 'metrics']
  },
  progress: {
    data: ['parent', 'children', 'monthlyChart'],
    head: [...CODE, 'totalReceived', 'totalOnTime', 'totalCompleted', 'avgProcessingDays', 'ratio', 'totalScore', 'totalMaxScore'],
    child: ['stt', ...CODE, 'level', 'totalReceived', 'totalOnTime', 'totalOverdue', 'avgProcessingDays', 'ratio', 'score', 'maxScore', 'scoreDelta']
  },
  online: {
    data: ['parent', 'children', 'monthlyChart'],
    head: [
      ...CODE, 'totalScore', 'totalMaxScore', 'ratio', 'authorityCount', 'partialCount', 'fullCount', 'onlineDossierCount', 'onlineServiceTotal',
      'channelOnlineSum', 'channelDirectSum', 'channelPostalSum', 'channelTotalSum', 'onlineOnTimeSum', 'onlineOverdueSum'
    ],
    child: ['stt', ...CODE, 'level', 'totalScore', 'totalMaxScore', 'ratio', 'scoreDelta']
  },
  payment: { data: ['parent', 'children'], head: [...CODE, ...PAYMENT], child: ['stt', ...CODE, 'level', ...PAYMENT, 'scoreDelta'] },
  satisfaction: {
    data: ['overview', 'evaluation', 'pagination', 'source'],
    head: [...ID, ...KIND, 'totalScore', 'totalMaxScore', 'ratio', 'scoreDelta', 'totalPetitions', 'classifiedPetitions', 'totalDossiers', 'averageScore', 'metrics'],
    child: ['stt', ...ID, ...KIND, 'totalScore', 'totalMaxScore', 'ratio', 'scoreDelta', 'totalPetitions', 'classifiedPetitions', 'totalDossiers', 'averageScore', 'metrics']
  },
  digitization: {
    data: ['overview', 'evaluation', 'pagination', 'source'],
    head: [...CODE, ...KIND, 'totalScore', 'totalMaxScore', 'ratio', 'scoreDelta', 'metrics'],
    child: ['stt', ...CODE, ...KIND, 'totalScore', 'totalMaxScore', 'ratio', 'scoreDelta', 'metrics']
  }
};
const METRIC_CODES: Partial<Record<PortalEndpoint, string[]>> = {
  transparency: ['PUBLISH_ON_TIME', 'PUBLIC_UPDATE_ON_TIME', 'PUBLIC_CONTENT_FULL', 'DOSSIER_SYNC'],
  satisfaction: ['DOSSIER_RECEIVING_SATISFACTION', 'PETITION_PROCESSING_ON_TIME', 'PETITION_HANDLING_SATISFACTION', 'PETITION_CLASSIFICATION_TTHC', 'PETITION_CLASSIFICATION_STAFF'],
  digitization: [
    'ORIGINAL_RESULT_AVAILABLE', 'SO_HOA_GIAY_TO_GIAI_QUYET', 'REUSED_DIGITIZED_DATA', 'SYNCED_WITH_DVCQG_PERSONAL_STORAGE', 'CITIZEN_DATA_CONNECTED_DOSSIER',
    'CITIZEN_DATA_CONNECTED_FORMALITY', 'ELECTRONIC_CERTIFIED_COPY'
  ]
};
const GROUP_OF: Record<PortalEndpoint, keyof PortalUnitValues['scores']> = {
  transparency: 'transparency', progress: 'progress', online: 'online', payment: 'payment', satisfaction: 'satisfaction', digitization: 'digitization'
};

describe('the portal’s six endpoints', { timeout: 60_000 }, () => {
  it('answer 201 in the envelope, with every field of the spec, for the province and each child', async () => {
    const oct = book.period(portalPeriod('month', 2026, 10), NOW);
    for (const endpoint of ALL) {
      const r = await post(s, endpoint, periodBody(endpoint));
      expect(r.status, endpoint).toBe(201);
      expect(r.type).toMatch(/^application\/json/);
      const body = r.json!;
      expect(body.code).toBe('OK');
      expect(body.message).toBe('OK');
      const shape = SHAPES[endpoint];
      expect(Object.keys(body.data), endpoint).toEqual(shape.data);
      const head = (body.data.parent ?? body.data.overview) as Record<string, unknown>;
      expect(Object.keys(head), endpoint).toEqual(shape.head);
      expect(head.departmentId).toBe(ROOT);
      if (shape.head.includes('departmentCode')) expect(head.departmentCode).toBe('H26');
      if (shape.head.includes('agencyLevel')) expect(head).toMatchObject({ departmentType: 'PROVINCE', departmentLevel: 'PROVINCE', agencyLevel: 'level_1' });
      const children = childrenOf(body);
      expect(children).toHaveLength(145);
      children.forEach((c, i) => {
        expect(Object.keys(c), `${endpoint} ${c.departmentName}`).toEqual(shape.child);
        expect(c.stt).toBe(i + 1);
        expect(c.scoreDelta).toBeNull();
        const v = oct.children[i]!;
        expect(c.departmentId).toBe(v.unit.portalId);
        expect(c.departmentName).toBe(v.unit.name);
        if ('departmentCode' in c) expect(c.departmentCode).toBe(v.unit.portalCode);
        const agency = v.unit.kind === 'agency';
        if ('level' in c) expect(c.level).toBe(agency ? 'PROVINCE' : 'COMMUNE');
        if ('agencyLevel' in c) {
          expect(c).toMatchObject(agency
            ? { departmentType: 'PROVINCIAL_DEPARTMENT', departmentLevel: 'PROVINCE', agencyLevel: 'level_2' }
            : { departmentType: 'COMMUNE_PEOPLE_COMMITTEE', departmentLevel: 'COMMUNE', agencyLevel: 'level_2' });
        }
        expect(c.totalScore ?? c.score).toBe(v.scores[GROUP_OF[endpoint]]);
        expect(c.totalMaxScore ?? c.maxScore).toBe(GROUP_MAX[GROUP_OF[endpoint]]);
        const codes = METRIC_CODES[endpoint];
        if (codes) {
          const metrics = c.metrics as Record<string, unknown>[];
          expect(metrics.map((m) => m.code)).toEqual(codes);
          for (const m of metrics) expect(Object.keys(m).slice(0, 7)).toEqual(['code', 'name', 'numerator', 'denominator', 'ratio', 'score', 'maxScore']);
        }
      });
      // Children ordered as strings by code: H26.10 < H26.100 … < H26.109 < H26.11.
      const codes = oct.children.map((v) => v.unit.portalCode);
      expect(codes).toEqual([...codes].sort());
    }
  });

  it('write the values of portalValues(), counts included', async () => {
    const v = portalValues(SEED, 'H26.100', portalPeriod('month', 2026, 10), NOW)!;
    const find = async (endpoint: PortalEndpoint) => childrenOf((await post(s, endpoint, periodBody(endpoint))).json!).find((c) => c.departmentId === v.unit.portalId)!;
    expect(await find('progress')).toMatchObject({
      departmentCode: 'H26.100', totalReceived: v.progress.received, totalOnTime: v.progress.onTime, totalOverdue: v.progress.overdue,
      avgProcessingDays: v.progress.avgProcessingDays, ratio: v.progress.ratio, score: v.progress.score, maxScore: 20
    });
    expect(await find('payment')).toMatchObject({ ...v.payment.counts, totalScore: v.payment.score, ratio: v.payment.ratio });
    expect(await find('online')).toMatchObject({ totalScore: v.online.score, ratio: v.online.ratio });
    const transparency = await find('transparency');
    expect(transparency.metrics).toEqual(v.transparency.metrics.map((m) => ({ ...m })));
    expect(transparency).not.toHaveProperty('departmentCode');
    const sync = (transparency.metrics as Record<string, unknown>[])[3]!;
    expect(sync).toMatchObject({ dataQualityStatus: expect.stringMatching(/^(TEMP_NATIONAL_REPORT_DENOMINATOR|NO_NATIONAL_REPORT_DATA)$/) });
    expect(await find('satisfaction')).toMatchObject({ totalPetitions: v.satisfaction.totalPetitions, totalDossiers: v.satisfaction.totalDossiers, averageScore: null });
    const digitized = await find('digitization');
    expect((digitized.metrics as Record<string, unknown>[]).at(-1)).toEqual({
      code: 'ELECTRONIC_CERTIFIED_COPY', name: expect.any(String), numerator: null, denominator: null, ratio: 100, score: 2, maxScore: 2
    });
    // The parent: the province's sums, its score from them.
    const parent = (await post(s, 'progress', periodBody('progress'))).json!.data.parent as Record<string, unknown>;
    const p = portalValues(SEED, 'H26', portalPeriod('month', 2026, 10), NOW)!;
    expect(parent).toMatchObject({ totalReceived: p.progress.received, totalOnTime: p.progress.onTime, totalCompleted: p.progress.completed, totalScore: p.progress.score });
    const chart = (await post(s, 'progress', periodBody('progress'))).json!.data.monthlyChart as Record<string, unknown>[];
    expect(chart.map((m) => m.month)).toEqual(['01', '02', '03', '04', '05', '06', '07', '08', '09', '10']);
    const online = (await post(s, 'online', periodBody('online'))).json!.data.monthlyChart as Record<string, unknown>[];
    expect(online[9]).toEqual({ label: '10/2026', onlineDossierPct: expect.any(Number) });
  });

  it('page the children: evaluation with its pagination, trees too; a page past the end is empty', async () => {
    for (const endpoint of ALL) {
      const seen: unknown[] = [];
      for (let page = 1; page <= 3; page++) {
        const body = (await post(s, endpoint, periodBody(endpoint, { currentPage: page, pageSize: 50 }))).json!;
        const rows = childrenOf(body);
        expect(rows).toHaveLength(page < 3 ? 50 : 45);
        expect(rows[0]!.stt).toBe((page - 1) * 50 + 1);
        seen.push(...rows.map((r) => r.departmentId));
        if (body.data.evaluation) expect(body.data.pagination).toEqual({ total: 145, currentPage: page, pageSize: 50, totalPages: 3 });
        expect(body.data.parent ?? body.data.overview).not.toBeNull(); // the province on every page
      }
      expect(seen).toEqual(book.period(portalPeriod('month', 2026, 10), NOW).children.map((c) => c.unit.portalId));
      const past = (await post(s, endpoint, periodBody(endpoint, { currentPage: 4, pageSize: 50 }))).json!;
      expect(childrenOf(past)).toEqual([]);
      if (past.data.evaluation) expect(past.data.pagination).toEqual({ total: 145, currentPage: 4, pageSize: 50, totalPages: 3 });
    }
    // Defaults: page 1 of 20; numbers as strings are read.
    const dflt = (await post(s, 'progress', { ...OCT, rootDepartmentId: ROOT })).json!;
    expect(childrenOf(dflt)).toHaveLength(20);
    const strings = (await post(s, 'transparency', { timeType: 'month', year: '2026', month: '10', rootDepartmentId: ROOT, currentPage: '2', pageSize: '100' })).json!;
    expect(strings.data.pagination).toEqual({ total: 145, currentPage: 2, pageSize: 100, totalPages: 2 });
  });

  it('take month, quarter and year (fromDate/toDate for satisfaction); a quarter is its months summed', async () => {
    const q3 = (await post(s, 'progress', periodBody('progress', { timeType: 'quarter', quarter: 3, month: undefined }))).json!;
    const parent = q3.data.parent as Record<string, number>;
    let received = 0;
    for (const month of [7, 8, 9]) received += ((await post(s, 'progress', periodBody('progress', { month }))).json!.data.parent as Record<string, number>).totalReceived!;
    expect(parent.totalReceived).toBe(received);
    const year = (await post(s, 'payment', periodBody('payment', { timeType: 'year', month: undefined }))).json!;
    expect((year.data.parent as Record<string, number>).totalDossierFinancialObligation).toBe(portalValues(SEED, 'H26', portalPeriod('year', 2026), NOW)!.payment.counts.totalDossierFinancialObligation);
    for (const [fromDate, toDate, period] of [
      ['2026-07-01', '2026-09-30', portalPeriod('quarter', 2026, 3)],
      ['2026-01-01', '2026-12-31', portalPeriod('year', 2026)],
      ['2026-02-01', '2026-02-28', portalPeriod('month', 2026, 2)]
    ] as const) {
      const body = (await post(s, 'satisfaction', { fromDate, toDate, rootDepartmentId: ROOT, pageSize: 200 })).json!;
      expect((body.data.overview as Record<string, unknown>).totalScore).toBe(portalValues(SEED, 'H26', period, NOW)!.satisfaction.score);
    }
    expect(periodOfDates('2026-10-01', '2026-12-31')).toEqual(portalPeriod('quarter', 2026, 4));
    expect(periodOfDates('2026-02-01', '2026-04-30')).toBeNull();
  });

  it('refuse a bad request with a 400 in its envelope, in Vietnamese', async () => {
    const bad = async (endpoint: PortalEndpoint, body: unknown, raw = false) => {
      const r = await post(s, endpoint, body, raw);
      expect(r.status).toBe(400);
      expect(r.json).toMatchObject({ code: 'BAD_REQUEST', data: null });
      return r.json!.message;
    };
    expect(await bad('progress', '{', true)).toMatch(/^Nội dung yêu cầu phải là JSON/);
    expect(await bad('progress', [1], false)).toMatch(/đối tượng JSON/);
    expect(await bad('progress', { ...OCT })).toMatch(/^rootDepartmentId là bắt buộc/);
    expect(await bad('progress', { ...OCT, rootDepartmentId: 'H26' })).toMatch(/UUID/);
    expect(await bad('progress', { ...OCT, timeType: 'week', rootDepartmentId: ROOT })).toMatch(/^timeType phải là "month", "quarter" hoặc "year"/);
    expect(await bad('progress', { ...OCT, month: 13, rootDepartmentId: ROOT })).toMatch(/^month phải là số nguyên từ 1 đến 12/);
    expect(await bad('online', { timeType: 'quarter', year: 2026, rootDepartmentId: ROOT })).toMatch(/^quarter phải là số nguyên từ 1 đến 4/);
    expect(await bad('payment', { timeType: 'year', rootDepartmentId: ROOT })).toMatch(/^year phải là năm/);
    expect(await bad('transparency', { ...OCT, rootDepartmentId: ROOT, currentPage: 0 })).toMatch(/^currentPage/);
    expect(await bad('transparency', { ...OCT, rootDepartmentId: ROOT, pageSize: 5000 })).toMatch(/^pageSize phải là số nguyên từ 1 đến 1000/);
    expect(await bad('satisfaction', { ...OCT, rootDepartmentId: ROOT })).toBe('fromDate và toDate (YYYY-MM-DD) là bắt buộc');
    expect(await bad('satisfaction', { fromDate: '2026-10-01', toDate: '2026-10-30', rootDepartmentId: ROOT })).toMatch(/phải đúng một tháng, một quý hoặc một năm/);
    expect(await bad('satisfaction', { fromDate: '2026-10-15', toDate: '2026-11-14', rootDepartmentId: ROOT })).toMatch(/phải đúng một tháng/);
    expect(await bad('satisfaction', { fromDate: '2026-02-30', toDate: '2026-03-31', rootDepartmentId: ROOT })).toMatch(/^fromDate không hợp lệ/);
    expect(await bad('satisfaction', { fromDate: '2026-11-01', toDate: '2026-10-31', rootDepartmentId: ROOT })).toBe('fromDate phải trước hoặc bằng toDate');
    expect(await bad('transparency', { ...OCT, rootDepartmentId: ROOT, formalityId: '9f1c2a4e-0000-4000-8000-000000000001' })).toMatch(/formalityId/);
    expect(await bad('digitization', { ...OCT, rootDepartmentId: ROOT, formalityID: '9f1c2a4e-0000-4000-8000-000000000001' })).toMatch(/formalityID/);
    const get = await fetch(s.base + PORTAL_PATHS.progress);
    expect(get.status).toBe(405);
    expect(await get.json()).toMatchObject({ code: 'METHOD_NOT_ALLOWED', data: null });
  });

  it('answer nothing for a root that is not Hà Nội’s, and need no credentials', async () => {
    const other = '3f2b8c1e-5d6a-4b7c-8d9e-0a1b2c3d4e5f';
    const tree = await post(s, 'progress', periodBody('progress', { rootDepartmentId: other }));
    expect(tree.status).toBe(201);
    expect(tree.json!.data).toEqual({ parent: null, children: [], monthlyChart: [] });
    const evaluation = (await post(s, 'transparency', periodBody('transparency', { rootDepartmentId: other }))).json!;
    expect(evaluation.data).toMatchObject({ overview: null, evaluation: [], pagination: { total: 0, currentPage: 1, pageSize: 200, totalPages: 0 } });
    // The id in capitals is the same UUID.
    expect(childrenOf((await post(s, 'progress', periodBody('progress', { rootDepartmentId: ROOT.toUpperCase() }))).json!)).toHaveLength(145);
  });

  it('has not published a month before the 3rd of the next: a parent with zeros, no child; a quarter in progress its published months', async () => {
    const early = await startSimulator({ seed: SEED, units, now: () => new Date('2026-11-02T10:00:00Z'), portalRush: false }); // 2 Nov, 17:00 ICT
    try {
      const tree = (await post(early, 'progress', periodBody('progress'))).json!;
      expect(tree.data.children).toEqual([]);
      expect(tree.data.monthlyChart).toEqual([]);
      expect(tree.data.parent).toMatchObject({ departmentCode: 'H26', totalReceived: 0, totalOnTime: 0, totalCompleted: 0, ratio: 0, totalScore: 0, totalMaxScore: 20 });
      const evaluation = (await post(early, 'digitization', periodBody('digitization'))).json!;
      expect(evaluation.data).toMatchObject({ evaluation: [], pagination: { total: 0, totalPages: 0 }, overview: { totalScore: 0, metrics: [] } });
      const q4 = (await post(early, 'payment', periodBody('payment', { timeType: 'quarter', quarter: 4 }))).json!;
      expect(q4.data.children).toEqual([]);
      // September is published: Q3 whole.
      const q3 = (await post(early, 'progress', periodBody('progress', { timeType: 'quarter', quarter: 3 }))).json!;
      expect(childrenOf(q3)).toHaveLength(145);
    } finally {
      await early.sim.close();
    }
    // On 20 November, Q4 is October alone.
    const q4 = (await post(s, 'progress', periodBody('progress', { timeType: 'quarter', quarter: 4 }))).json!;
    expect(q4.data.parent).toEqual((await post(s, 'progress', periodBody('progress'))).json!.data.parent);
  });
});

describe('the portal’s troubles', { timeout: 60_000 }, () => {
  it('rushes on the last two days of a month and the 1st of the next (ICT)', () => {
    const at = (iso: string) => inRush(new Date(iso));
    expect(at('2026-11-28T05:00:00Z')).toBe(false);
    expect(at('2026-11-28T17:00:00Z')).toBe(true); // 29 November 00:00 ICT
    expect(at('2026-11-30T05:00:00Z')).toBe(true);
    expect(at('2026-12-01T05:00:00Z')).toBe(true);
    expect(at('2026-12-01T17:00:00Z')).toBe(false); // 2 December
    expect(at('2026-02-26T05:00:00Z')).toBe(false);
    expect(at('2026-02-27T05:00:00Z')).toBe(true);
    expect(at('2026-12-30T05:00:00Z')).toBe(true);
    expect(at('2026-12-29T05:00:00Z')).toBe(false);
  });

  it('answers a share of requests with 502/503/504 from the gateway in the rush, the same for the same seed; a retry gets through', async () => {
    const statuses = async () => {
      const t = await startSimulator({ seed: SEED, units, now: () => new Date('2026-11-30T03:00:00Z') });
      try {
        const out: number[] = [];
        for (let i = 0; i < 30; i++) {
          const r = await post(t, 'progress', periodBody('progress', { pageSize: 1 }));
          out.push(r.status);
          if (r.status !== 201) {
            expect(r.type).toBe('text/html');
            expect(r.text).toContain(`<title>${r.status} `);
            expect(r.text).toContain('nginx');
          }
        }
        // The other systems do not rush.
        expect((await t.get('dossier')).status).toBe(200);
        return out;
      } finally {
        await t.sim.close();
      }
    };
    const first = await statuses();
    const failed = first.filter((x) => x !== 201);
    expect(failed.length).toBeGreaterThan(30 * RUSH_SHARE * 0.3);
    expect(failed.length).toBeLessThan(30 * RUSH_SHARE * 2);
    for (const x of failed) expect([502, 503, 504]).toContain(x);
    expect(first.filter((x) => x === 201).length).toBeGreaterThan(0);
    expect(await statuses()).toEqual(first);
  });

  it('never rushes with portalRush: false or the fault no_rush; the fault rush brings it on any day', async () => {
    const rushDay = () => new Date('2026-12-01T03:00:00Z');
    const count = async (sim: Sim) => {
      let failed = 0;
      for (let i = 0; i < 15; i++) if ((await post(sim, 'online', periodBody('online', { pageSize: 1 }))).status !== 201) failed++;
      return failed;
    };
    const off = await startSimulator({ seed: SEED, units, now: rushDay, portalRush: false });
    const calm = await startSimulator({ seed: SEED, units, now: rushDay });
    try {
      expect(await count(off)).toBe(0);
      await calm.setFault({ system: 'portal', fault: 'no_rush' });
      expect(await count(calm)).toBe(0);
      await off.setFault({ system: 'portal', fault: 'rush' });
      expect(await count(off)).toBeGreaterThan(0);
    } finally {
      await off.sim.close();
      await calm.sim.close();
    }
    await s.setFault({ system: 'portal', fault: 'rush' });
    try {
      expect(await count(s)).toBeGreaterThan(0); // mid-month
    } finally {
      await s.clearFaults();
    }
    expect(await count(s)).toBe(0);
    const refused = await fetch(`${s.base}/_sim/faults`, { method: 'POST', body: JSON.stringify({ system: 'eid', fault: 'rush' }) });
    expect(refused.status).toBe(400);
  });

  it('takes the simulator’s faults: slow, 5xx in its envelope, row faults on the page’s children', async () => {
    try {
      await s.setFault({ system: 'portal', fault: 'latency', ms: 300 });
      const t0 = Date.now();
      expect((await post(s, 'transparency', periodBody('transparency', { pageSize: 1 }))).status).toBe(201);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(280);

      await s.setFault({ system: 'portal', fault: 'http_5xx', status: 502 });
      const down = await post(s, 'payment', periodBody('payment'));
      expect(down.status).toBe(502);
      expect(down.json).toEqual({ code: 'BAD_GATEWAY', data: null, message: '502 Bad Gateway' });
      expect((await s.get('dossier')).status).toBe(200); // the other systems are unaffected

      await s.setFault({ system: 'portal', fault: 'wrong_types' });
      const rows = childrenOf((await post(s, 'progress', periodBody('progress'))).json!);
      expect(typeof rows[FAULT_OFFSETS.wrong_types]!.totalReceived).toBe('string');
      expect(typeof rows[FAULT_OFFSETS.wrong_types + 1]!.totalReceived).toBe('number');

      await s.setFault({ system: 'portal', fault: 'part_exceeds_whole' });
      const evaluation = childrenOf((await post(s, 'digitization', periodBody('digitization'))).json!);
      const m = (evaluation[FAULT_OFFSETS.part_exceeds_whole]!.metrics as Record<string, number>[])[0]!;
      expect(m.numerator).toBe(m.denominator! + 5);

      await s.setFault({ system: 'portal', fault: 'unknown_units' });
      const unknown = childrenOf((await post(s, 'online', periodBody('online'))).json!);
      expect(unknown).toHaveLength(148);
      expect(unknown.slice(-3).map((c) => c.departmentCode)).toEqual(UNKNOWN_UNIT_CODES.map((c) => `H26.${c}`));

      await s.setFault({ system: 'portal', fault: 'malformed' });
      const cut = await post(s, 'satisfaction', periodBody('satisfaction'));
      expect(cut.status).toBe(201);
      expect(cut.json).toBeNull();
    } finally {
      await s.clearFaults();
    }
  });
});
