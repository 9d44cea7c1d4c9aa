/**
 * Switchable faults of the simulated systems, to show (and test) how the workers cope with a
 * source that is slow, down, or answers garbage. One fault at a time per system, set at run time
 * through POST /_sim/faults or at start with SIM_FAULTS="eid:http_5xx,payment:latency:2000,task:timeout".
 * The national portal (system `portal`) has a trouble of its own, on without any fault: its
 * end-of-month rush (portal-api.ts); `rush` brings it on any day, `no_rush` switches it off.
 *
 * Row faults touch only every FAULT_STRIDE-th row of the normal answer, counted from 0 in the
 * order the system lists its rows, at the kind's offset; every other row is the ground truth.
 */
import { z } from 'zod';

export const SYSTEMS = ['dossier', 'eid', 'payment', 'task', 'portal'] as const;
export type SystemName = (typeof SYSTEMS)[number];

export const FAULT_KINDS = [
  'latency',
  'http_5xx',
  'timeout',
  'reset',
  'malformed',
  'wrong_types',
  'unknown_units',
  'negative',
  'part_exceeds_whole',
  'duplicates',
  'oversize',
  'drip',
  // The national portal only (portal-api.ts): its end-of-month rush of 5xx on any day, or never.
  'rush',
  'no_rush'
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface Fault {
  fault: FaultKind;
  /** latency only: the wait before the normal answer. */
  ms?: number;
  /** http_5xx only: the status answered (default 503). */
  status?: number;
}

export type FaultTable = Record<SystemName, Fault | null>;

export const FAULT_STRIDE = 37;
/** Row index % FAULT_STRIDE that each row fault touches (different offsets, so a test can tell them apart). */
export const FAULT_OFFSETS = { wrong_types: 5, negative: 7, part_exceeds_whole: 9, duplicates: 11 } as const;
export type RowFaultKind = keyof typeof FAULT_OFFSETS;

/** Whether the row at `index` of the normal answer is the one a row fault changes. */
export function isFaultRow(kind: RowFaultKind, index: number): boolean {
  return index % FAULT_STRIDE === FAULT_OFFSETS[kind];
}

/** unknown_units appends rows for these codes, which no register holds. */
export const UNKNOWN_UNIT_CODES = ['99990', '99991', '99992'] as const;
/** oversize makes a valid body of at least this many bytes (the workers cap bodies at 10 MiB). */
export const OVERSIZE_BYTES = 11 * 1024 * 1024;
export const DRIP_INTERVAL_MS = 500;
export const DEFAULT_5XX_STATUS = 503;

/** The control endpoint's body; the env syntax is parsed into the same shape. */
export const faultBodySchema = z
  .strictObject({
    system: z.enum(SYSTEMS),
    fault: z.enum(FAULT_KINDS),
    ms: z.number().int().min(0).max(600_000).optional(),
    status: z.number().int().min(500).max(599).optional()
  })
  .superRefine((b, ctx) => {
    if (b.fault === 'latency' && b.ms === undefined) ctx.addIssue({ code: 'custom', path: ['ms'], message: 'required for latency' });
    if (b.fault !== 'latency' && b.ms !== undefined) ctx.addIssue({ code: 'custom', path: ['ms'], message: 'only for latency' });
    if (b.fault !== 'http_5xx' && b.status !== undefined) ctx.addIssue({ code: 'custom', path: ['status'], message: 'only for http_5xx' });
    if ((b.fault === 'rush' || b.fault === 'no_rush') && b.system !== 'portal') ctx.addIssue({ code: 'custom', path: ['fault'], message: `${b.fault} is the portal's only` });
  });
export type FaultBody = z.infer<typeof faultBodySchema>;

/** The fault as stored and listed: defaults filled in, no system. */
export function faultOf(body: FaultBody): Fault {
  if (body.fault === 'latency') return { fault: 'latency', ms: body.ms };
  if (body.fault === 'http_5xx') return { fault: 'http_5xx', status: body.status ?? DEFAULT_5XX_STATUS };
  return { fault: body.fault };
}

/** Checks a control body; the error names the field, e.g. "fault: Invalid option: expected one of …". */
export function parseFaultBody(body: unknown): { ok: true; system: SystemName; fault: Fault } | { ok: false; error: string } {
  const parsed = faultBodySchema.safeParse(body);
  if (!parsed.success) {
    return { ok: false, error: parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') };
  }
  return { ok: true, system: parsed.data.system, fault: faultOf(parsed.data) };
}

export function noFaults(): FaultTable {
  return { dossier: null, eid: null, payment: null, task: null, portal: null };
}

/**
 * SIM_FAULTS syntax: comma-separated `system:fault[:number]`, the number being ms for latency and
 * the status for http_5xx. Empty or undefined: no faults. Throws on anything else, naming the item.
 */
export function parseFaultSpec(spec: string | undefined): FaultTable {
  const table = noFaults();
  for (const item of (spec ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const [system, fault, number, ...rest] = item.split(':').map((s) => s.trim());
    if (rest.length > 0) throw new Error(`SIM_FAULTS: "${item}" has more than three parts (system:fault[:number])`);
    const body: Record<string, unknown> = { system, fault };
    if (number !== undefined) {
      if (!/^\d+$/.test(number)) throw new Error(`SIM_FAULTS: "${item}": "${number}" is not a whole number`);
      body[fault === 'http_5xx' ? 'status' : 'ms'] = Number(number);
    }
    const parsed = parseFaultBody(body);
    if (!parsed.ok) throw new Error(`SIM_FAULTS: "${item}": ${parsed.error}`);
    table[parsed.system] = parsed.fault;
  }
  return table;
}

/** How a system writes its rows wrong; each returns a changed copy. */
export interface RowCorruptions<Row> {
  /** A count as a string (its own value, e.g. "12"); in the CSV the text "12 người"; for tasks hanXuLy as the number 20261120. */
  wrongTypes(row: Row): Row;
  /** A negative count; for tasks a completion 10 days before the assignment. */
  negative(row: Row): Row;
  /** A part larger than its whole; for tasks a deadline before the assignment. */
  partExceedsWhole(row: Row): Row;
}

/**
 * The rows a row fault gives: the normal rows with every FAULT_STRIDE-th one changed or doubled
 * (right after itself), or three rows of unknown units appended. Other kinds return the rows as they are.
 */
export function applyRowFault<Row>(rows: Row[], kind: FaultKind | undefined, corrupt: RowCorruptions<Row>, unknownRow: (code: string) => Row): Row[] {
  switch (kind) {
    case 'wrong_types':
      return rows.map((r, i) => (isFaultRow('wrong_types', i) ? corrupt.wrongTypes(r) : r));
    case 'negative':
      return rows.map((r, i) => (isFaultRow('negative', i) ? corrupt.negative(r) : r));
    case 'part_exceeds_whole':
      return rows.map((r, i) => (isFaultRow('part_exceeds_whole', i) ? corrupt.partExceedsWhole(r) : r));
    case 'duplicates':
      return rows.flatMap((r, i) => (isFaultRow('duplicates', i) ? [r, r] : [r]));
    case 'unknown_units':
      return [...rows, ...UNKNOWN_UNIT_CODES.map(unknownRow)];
    default:
      return rows;
  }
}

/** malformed, for JSON: the body cut at half its length (a JSON object cut short never parses). */
export function cutInHalf(body: string): string {
  return body.slice(0, Math.floor(body.length / 2));
}
