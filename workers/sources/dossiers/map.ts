import type { RejectedRow } from '#db/schema/sources';
import type { CanonicalSample, MapResult, SourceAdapter } from '../types.ts';
import { dossierEnvelopeSchema, dossierRowSchema } from './schema.ts';

const FIELDS = {
  tiepNhan: 'dossier.received',
  tiepNhanTrucTuyen: 'dossier.received_online',
  daGiaiQuyet: 'dossier.resolved',
  giaiQuyetDungHan: 'dossier.resolved_on_time',
  dangGiaiQuyetTrongHan: 'dossier.pending_on_time',
  dangGiaiQuyetQuaHan: 'dossier.pending_overdue'
} as const;

function describe(issues: { path: PropertyKey[]; message: string }[]): string {
  return issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
}

/** Row by row: a bad row is rejected with its reason, the others are kept. */
export function mapDossierBody(body: string): MapResult {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (e) {
    throw new Error(`the body is not valid JSON (${(e as Error).message})`);
  }
  const envelope = dossierEnvelopeSchema.safeParse(json);
  if (!envelope.success) throw new Error(`unexpected payload shape: ${describe(envelope.error.issues)}`);
  const samples: CanonicalSample[] = [];
  const rejected: RejectedRow[] = [];
  const seen = new Set<string>();
  envelope.data.duLieu.forEach((raw, index) => {
    const row = dossierRowSchema.safeParse(raw);
    if (!row.success) return rejected.push({ index, reason: describe(row.error.issues) });
    const key = `${row.data.maDonVi}|${row.data.ngay}`;
    if (seen.has(key)) return rejected.push({ index, reason: `duplicate row for unit ${row.data.maDonVi} on ${row.data.ngay}` });
    seen.add(key);
    for (const [field, metric] of Object.entries(FIELDS)) {
      samples.push({ unitCode: row.data.maDonVi, metric, date: row.data.ngay, value: row.data[field as keyof typeof FIELDS] });
    }
  });
  return { samples, rejected };
}

export const dossierAdapter: SourceAdapter = { kind: 'motcua_json', map: mapDossierBody };
