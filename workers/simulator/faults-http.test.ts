/** What a client sees when a system is switched into a fault. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DRIP_INTERVAL_MS, FAULT_OFFSETS, FAULT_STRIDE, OVERSIZE_BYTES, UNKNOWN_UNIT_CODES, isFaultRow } from './faults.ts';
import { PAYMENT_CSV_HEADER } from './payments-api.ts';
import { NOON, startSimulator } from './test-kit.ts';

let s: Awaited<ReturnType<typeof startSimulator>>;
const normal: Record<'dossier' | 'eid' | 'payment' | 'task', string> = { dossier: '', eid: '', payment: '', task: '' };
beforeAll(async () => {
  s = await startSimulator();
  for (const system of ['dossier', 'eid', 'payment', 'task'] as const) normal[system] = await (await s.get(system)).text();
});
beforeEach(() => s.clearFaults());
afterAll(() => s.sim.close());

const csvRows = (text: string) => text.slice(0, -2).split('\r\n').slice(1);

describe('simulator faults over HTTP', () => {
  it('has enough rows in each normal answer for every fault offset', () => {
    expect(JSON.parse(normal.dossier).duLieu.length).toBeGreaterThan(FAULT_STRIDE + FAULT_OFFSETS.duplicates);
    expect(JSON.parse(normal.eid).payload.items.length).toBeGreaterThan(FAULT_STRIDE + FAULT_OFFSETS.duplicates);
    expect(csvRows(normal.payment).length).toBeGreaterThan(FAULT_STRIDE + FAULT_OFFSETS.duplicates);
    expect(JSON.parse(normal.task).nhiemVu.length).toBeGreaterThan(FAULT_STRIDE + FAULT_OFFSETS.duplicates);
  });

  it('http_5xx: the status and an error in the system’s own style', async () => {
    await s.setFault({ system: 'eid', fault: 'http_5xx', status: 502 });
    const eid = await s.get('eid');
    expect(eid.status).toBe(502);
    expect(await eid.json()).toEqual({ code: 502, message: '502 Bad Gateway', payload: null });
    await s.setFault({ system: 'dossier', fault: 'http_5xx' });
    const dossier = await s.get('dossier');
    expect(dossier.status).toBe(503);
    expect(await dossier.json()).toEqual({ maLoi: 'HE_THONG', thongBao: '503 Service Unavailable' });
    expect((await s.get('task')).status).toBe(200); // the other systems are unaffected
  });

  it('malformed JSON: the normal body cut at half, which does not parse', async () => {
    await s.setFault({ system: 'task', fault: 'malformed' });
    const r = await s.get('task');
    expect(r.status).toBe(200);
    const text = await r.text();
    expect(text).toBe(normal.task.slice(0, Math.floor(normal.task.length / 2)));
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    expect(Number(r.headers.get('content-length'))).toBe(Buffer.byteLength(text));
  });

  it('malformed CSV: cut inside a quoted name, leaving a quote open', async () => {
    await s.setFault({ system: 'payment', fault: 'malformed' });
    const text = await (await s.get('payment')).text();
    expect(normal.payment.startsWith(text)).toBe(true);
    expect(text.length).toBeGreaterThanOrEqual(normal.payment.length / 2);
    expect(text.length).toBeLessThan(normal.payment.length);
    expect((text.match(/"/g) ?? []).length % 2).toBe(1);
    expect(text.at(-1)).not.toBe('"');
  });

  it('duplicates: every 37th task (from index 11) twice in a row, the rest untouched', async () => {
    await s.setFault({ system: 'task', fault: 'duplicates' });
    const body = await (await s.get('task')).json();
    const rows = JSON.parse(normal.task).nhiemVu as unknown[];
    const expected = rows.flatMap((r, i) => (isFaultRow('duplicates', i) ? [r, r] : [r]));
    expect(body.nhiemVu).toEqual(expected);
    expect(body.tongSo).toBe(expected.length);
    expect(expected.length - rows.length).toBe(Math.ceil((rows.length - 11) / 37));
  });

  it('unknown_units: three extra rows for codes no register has, after the normal rows', async () => {
    await s.setFault({ system: 'eid', fault: 'unknown_units' });
    const items = (await (await s.get('eid')).json()).payload.items;
    const rows = JSON.parse(normal.eid).payload.items;
    expect(items.slice(0, rows.length)).toEqual(rows);
    expect(items.slice(rows.length).map((r: { areaCode: string }) => r.areaCode)).toEqual([...UNKNOWN_UNIT_CODES]);
    expect(items.at(-1)).toMatchObject({ date: '2026-11-20', stats: { eligible: expect.any(Number) } });
  });

  it('wrong_types, negative, part_exceeds_whole: only the rows at their offsets change', async () => {
    await s.setFault({ system: 'payment', fault: 'wrong_types' });
    const wrong = csvRows(await (await s.get('payment')).text());
    const rows = csvRows(normal.payment);
    wrong.forEach((line, i) => {
      if (isFaultRow('wrong_types', i)) {
        const cells = rows[i]!.split(',');
        cells[3] = '12 người';
        expect(line).toBe(cells.join(','));
      } else expect(line).toBe(rows[i]);
    });

    await s.setFault({ system: 'dossier', fault: 'negative' });
    const negative = (await (await s.get('dossier')).json()).duLieu;
    const dossiers = JSON.parse(normal.dossier).duLieu;
    negative.forEach((row: { dangGiaiQuyetQuaHan: number }, i: number) => {
      if (isFaultRow('negative', i)) expect(row.dangGiaiQuyetQuaHan).toBeLessThan(0);
      else expect(row).toEqual(dossiers[i]);
    });

    await s.setFault({ system: 'eid', fault: 'part_exceeds_whole' });
    const part = (await (await s.get('eid')).json()).payload.items;
    const items = JSON.parse(normal.eid).payload.items;
    part.forEach((row: { stats: { eligible: number; level2Collected: number } }, i: number) => {
      if (isFaultRow('part_exceeds_whole', i)) expect(row.stats.level2Collected).toBe(row.stats.eligible + 5);
      else expect(row).toEqual(items[i]);
    });

    await s.setFault({ system: 'task', fault: 'wrong_types' });
    const tasks = (await (await s.get('task')).json()).nhiemVu;
    const taskRows = JSON.parse(normal.task).nhiemVu;
    tasks.forEach((row: { hanXuLy: string | number }, i: number) => {
      expect(row).toEqual(isFaultRow('wrong_types', i) ? { ...taskRows[i], hanXuLy: 20261120 } : taskRows[i]);
    });

    await s.setFault({ system: 'dossier', fault: 'wrong_types' });
    const typed = (await (await s.get('dossier')).json()).duLieu;
    typed.forEach((row: { tiepNhan: number | string }, i: number) => {
      expect(row).toEqual(isFaultRow('wrong_types', i) ? { ...dossiers[i], tiepNhan: String(dossiers[i].tiepNhan) } : dossiers[i]);
    });

    await s.setFault({ system: 'task', fault: 'negative' });
    const impossible = (await (await s.get('task')).json()).nhiemVu;
    impossible.forEach((row: { ngayGiao: string; ngayHoanThanh: string | null }, i: number) => {
      if (isFaultRow('negative', i)) expect(Date.parse(row.ngayGiao) - Date.parse(row.ngayHoanThanh!)).toBe(10 * 864e5);
      else expect(row).toEqual(taskRows[i]);
    });
  });

  it('oversize: a valid body over 10 MB with the same rows', async () => {
    await s.setFault({ system: 'dossier', fault: 'oversize' });
    const text = await (await s.get('dossier')).text();
    expect(Buffer.byteLength(text)).toBeGreaterThan(10 * 1024 * 1024);
    expect(Buffer.byteLength(text)).toBeGreaterThanOrEqual(OVERSIZE_BYTES);
    expect(JSON.parse(text).duLieu).toEqual(JSON.parse(normal.dossier).duLieu);

    await s.setFault({ system: 'payment', fault: 'oversize' });
    const csv = await (await s.get('payment')).text();
    expect(Buffer.byteLength(csv)).toBeGreaterThan(10 * 1024 * 1024);
    expect(csv.startsWith(normal.payment)).toBe(true);
    const lines = csv.slice(0, -2).split('\r\n');
    expect(lines[0]).toBe(PAYMENT_CSV_HEADER);
    expect(lines.every((l) => /^\d+,"[^"]*",\d\d\/\d{4},\d+,\d+,\d+,\d+$/.test(l) || l === PAYMENT_CSV_HEADER)).toBe(true);
  });

  it('latency: the normal answer, after the wait', async () => {
    await s.setFault({ system: 'eid', fault: 'latency', ms: 150 });
    const started = performance.now();
    const text = await (await s.get('eid')).text();
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(text).toBe(normal.eid);
  });

  it('timeout: no answer until the client gives up', async () => {
    await s.setFault({ system: 'dossier', fault: 'timeout' });
    const error = await s.get('dossier', { signal: AbortSignal.timeout(200) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe('TimeoutError');
  });

  it('reset: the connection dies without an answer', async () => {
    await s.setFault({ system: 'payment', fault: 'reset' });
    const error = await s.get('payment').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toBe('fetch failed');
    expect(String((error as TypeError).cause)).toMatch(/other side closed|ECONNRESET|socket hang up/i);
  });

  it('drip: status and headers at once, then one byte at a time', async () => {
    await s.setFault({ system: 'task', fault: 'drip' });
    const controller = new AbortController();
    const r = await s.get('task', { signal: controller.signal });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-length')).toBeNull();
    const reader = r.body!.getReader();
    const first = await reader.read();
    expect(first.value).toEqual(new Uint8Array(Buffer.from(normal.task).subarray(0, 1)));
    const second = await reader.read();
    expect(second.value).toEqual(new Uint8Array(Buffer.from(normal.task).subarray(1, 2)));
    controller.abort();
    expect(DRIP_INTERVAL_MS).toBe(500);
  });

  it('close() ends the requests a fault holds open', async () => {
    const t = await startSimulator({ faults: 'dossier:timeout,eid:drip,task:latency:600000' });
    const arrived = (n: number) =>
      new Promise<void>((resolve) => {
        let seen = 0;
        t.sim.server.on('request', () => ++seen === n && resolve());
      });
    const three = arrived(3);
    const hanging = [t.get('dossier').then((r) => r.text()), t.get('eid').then((r) => r.text()), t.get('task').then((r) => r.text())].map((p) =>
      p.then(
        () => 'answered',
        () => 'failed'
      )
    );
    await three;
    await t.sim.close();
    expect(await Promise.all(hanging)).toEqual(['failed', 'failed', 'failed']);
  });
});

it('uses a fixed clock in these tests', () => {
  expect(JSON.parse(normal.dossier).thoiDiem).toBe(NOON.toISOString());
});
