/** Uploads of filled templates, and the templates themselves. */
import type { Sql } from '#db/client';
import { METRIC_FAMILIES } from '#domain/catalogue';
import { ingestUpload, loadSource, type PollOutcome } from '#server/pipeline/poll';
import { readXlsx, sniffUpload, templateCsv, templateXlsx, type TemplateSpec } from '#server/pipeline/mapping/sheets';
import { SourceError } from '#server/pipeline/types';
import { UPLOAD_MAX_BYTES } from '#server/limits';

export class UploadError extends Error {
  constructor(message: string, readonly status: number) {
    super(message);
  }
}

/** `onlyUnitCode`: an officer's upload may only carry rows of their unit and its descendants. */
export async function handleUpload(sql: Sql, sourceKey: string, file: File | null, onlyUnitCode?: string | null): Promise<PollOutcome> {
  const [row] = await sql<{ id: number; kind: string }[]>`select id, kind from data_sources where key = ${sourceKey}`;
  if (!row) throw new UploadError(`no data source with key ${sourceKey}`, 404);
  if (row.kind !== 'upload') throw new UploadError(`source ${sourceKey} is polled from its system; it takes no uploads`, 409);
  if (!file || typeof file === 'string') throw new UploadError('file: attach the filled template as the form field "file"', 400);
  if (file.size === 0) throw new UploadError('file: the file is empty', 400);
  if (file.size > UPLOAD_MAX_BYTES) throw new UploadError(`file: larger than ${UPLOAD_MAX_BYTES / 1048576} MB`, 413);
  const bytes = new Uint8Array(await file.arrayBuffer());
  let body;
  try {
    body = sniffUpload(bytes) === 'xlsx' ? { table: await readXlsx(bytes) } : { text: Buffer.from(bytes).toString('utf8') };
  } catch (e) {
    if (e instanceof SourceError) throw new UploadError(`file: ${e.message}`, 400);
    throw e;
  }
  const source = (await loadSource(sql, row.id))!;
  if (onlyUnitCode) {
    const [unit] = await sql<{ id: number }[]>`select id from units where gso_code = ${onlyUnitCode}`;
    if (!unit) throw new UploadError('your account has no unit: ask an administrator', 403);
    source.scopeUnitId = unit.id;
  }
  return ingestUpload(sql, source, body);
}

export async function templateSpec(sql: Sql, family: string): Promise<TemplateSpec> {
  if (!(METRIC_FAMILIES as readonly string[]).includes(family)) {
    throw new UploadError(`family must be one of ${METRIC_FAMILIES.join(', ')}`, 404);
  }
  const metrics = await sql<{ key: string; nameVi: string }[]>`
    select key, name_vi as "nameVi" from metrics where family = ${family} order by id`;
  // A task list is kept for districts and communes; counts come per commune.
  const units = await sql<{ code: string; name: string }[]>`
    select gso_code as code, name from units
    where valid_to is null and (level = 'commune' or (${family} = 'task' and level = 'district'))
    order by gso_code`;
  return { family, metrics, units };
}

export async function renderTemplate(sql: Sql, family: string, format: string): Promise<{ body: Uint8Array | string; type: string; name: string }> {
  const spec = await templateSpec(sql, family);
  if (format === 'csv') return { body: templateCsv(spec), type: 'text/csv; charset=utf-8', name: `mau-${family}.csv` };
  if (format !== 'xlsx') throw new UploadError('format must be xlsx or csv', 400);
  return {
    body: new Uint8Array(await templateXlsx(spec)),
    type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    name: `mau-${family}.xlsx`
  };
}
