/**
 * What a data source is, as data: its kind, what it yields, how its body maps to our rows.
 * Parsed with zod wherever a source row is read or saved, so a broken mapping is refused with the
 * field's name instead of failing every poll.
 */
import jsonata from 'jsonata';
import { z } from 'zod';

export { AUTH_KINDS, SOURCE_KINDS } from '#db/schema/sources';

const jsonata_ = (what: string) =>
  z.string().superRefine((text, ctx) => {
    try {
      jsonata(text);
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: `${what} không phải biểu thức JSONata hợp lệ: ${(e as Error).message}` });
    }
  });

/**
 * JSON over HTTP: one JSONata expression from the parsed body to records (see json.ts for their
 * shape). With `each` (a JSONata path), the expression runs once per item the path yields (the item
 * is its input, `$body` the whole body), and an item whose evaluation fails rejects only its row.
 */
export const jsonMappingSchema = z.object({
  expression: z.string().min(1, 'biểu thức ánh xạ đang trống').pipe(jsonata_('biểu thức ánh xạ')),
  /**
   * The metrics every record must carry. JSONata leaves out a field the source did not send, so
   * without this list a row with a missing count would pass with one metric fewer.
   */
  metrics: z.array(z.string()).default([]),
  each: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .pipe(jsonata_('dòng each:').optional())
});

/**
 * CSV over HTTP and uploads: columns by name. A header may carry the metric key in square brackets
 * ("Hồ sơ tiếp nhận [dossier.received]"); such a column maps itself. Luxon date formats
 * ("yyyy-MM-dd", "MM/yyyy", "dd/MM/yyyy"); a month-only format lands on the month's first day.
 */
export const tableMappingSchema = z.object({
  unitColumn: z.string().min(1),
  dateColumn: z.string().min(1),
  dateFormat: z.string().min(2).default('yyyy-MM-dd'),
  /** header (or its [key]) → metric key */
  columns: z.record(z.string(), z.string()).default({}),
  delimiter: z.string().length(1).default(','),
  /** For task lists read from a table. */
  taskColumns: z
    .object({ id: z.string(), assigned: z.string(), deadline: z.string(), completed: z.string() })
    .optional()
});

export type JsonMapping = z.infer<typeof jsonMappingSchema>;
export type TableMapping = z.infer<typeof tableMappingSchema>;

export function parseMapping(kind: string, mapping: unknown): JsonMapping | TableMapping {
  return kind === 'json_http' ? jsonMappingSchema.parse(mapping) : tableMappingSchema.parse(mapping);
}

/** The mapping an upload source has unless told otherwise: the downloadable template's columns. */
export const TEMPLATE_MAPPING: TableMapping = {
  unitColumn: 'unit_code',
  dateColumn: 'date',
  dateFormat: 'yyyy-MM-dd',
  columns: {},
  delimiter: ','
};

/** The template's mapping for a family (a task list has its own columns). */
export function templateMapping(family: string): TableMapping {
  return family === 'task'
    ? { ...TEMPLATE_MAPPING, taskColumns: { id: 'id', assigned: 'assigned', deadline: 'deadline', completed: 'completed' } }
    : TEMPLATE_MAPPING;
}
