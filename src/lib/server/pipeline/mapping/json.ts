/**
 * JSON over HTTP, mapped by a JSONata expression. The expression's result is a list of records
 *   { "row"?: n, "unitCode": "00001", "date": "2026-11-20", "values": { "dossier.received": 12, … } }
 * or of flat samples { "row"?, "unitCode", "date", "metric", "value" } (grouped back into records by
 * row, else by unit and date), or — for a task tracker — of tasks
 *   { "row"?, "id", "unitCode", "assigned", "deadline", "completed" }.
 * `row` (JSONata's `#$i`) ties a record to the source's row for the poll history.
 */
import type { RawRecord, RawTask } from '../types.ts';
import { mappingPool, type EvaluateOptions } from './sandbox.ts';

const asList = (result: unknown): unknown[] => (result === undefined || result === null ? [] : Array.isArray(result) ? result : [result]);

/**
 * Parse and evaluate in the sandbox (sandbox.ts): a mapping that never ends or eats the memory
 * fails this body in words, and nothing else waits for it. With `each`, the expression runs once per
 * item of the path: an item whose evaluation fails is one unread row (its place in the body), the
 * others go on; without it, a failure fails the body.
 */
async function evaluate(body: string, expression: string, options: EvaluateOptions): Promise<{ items: { item: unknown; at: number | null }[]; bad: { row: number; reason: string }[] }> {
  const result = await mappingPool().evaluate(body, expression, options);
  if (!options.each) return { items: asList(result).map((item) => ({ item, at: null })), bad: [] };
  const items: { item: unknown; at: number | null }[] = [];
  const bad: { row: number; reason: string }[] = [];
  asList(result).forEach((r, at) => {
    const one = r as { ok?: unknown; error?: string };
    if (typeof one.error === 'string') bad.push({ row: at, reason: `phép ánh xạ lỗi ở bản ghi này: ${one.error}` });
    else for (const item of asList(one.ok)) items.push({ item, at });
  });
  return { items, bad };
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

export async function jsonRecords(
  body: string,
  expression: string,
  options: EvaluateOptions = {}
): Promise<{ records: RawRecord[]; bad: { row: number; reason: string }[] }> {
  const { items, bad } = await evaluate(body, expression, options);
  const records: RawRecord[] = [];
  const grouped = new Map<string, RawRecord>();
  items.forEach(({ item, at }, i) => {
    const row = isObject(item) && typeof item.row === 'number' ? item.row : (at ?? i);
    if (isObject(item) && isObject(item.values)) {
      records.push({ row, unitCode: item.unitCode, date: item.date, values: item.values });
    } else if (isObject(item) && typeof item.metric === 'string') {
      const key = `${at ?? ''}|${typeof item.row === 'number' ? `#${item.row}` : `${String(item.unitCode)}|${String(item.date)}`}`;
      let record = grouped.get(key);
      if (!record) {
        record = { row, unitCode: item.unitCode, date: item.date, values: {} };
        grouped.set(key, record);
        records.push(record);
      }
      record.values[item.metric] = item.value;
    } else {
      bad.push({ row, reason: 'phép ánh xạ không cho ra bản ghi có "values" hay mẫu có "metric"' });
    }
  });
  return { records, bad };
}

export async function jsonTasks(
  body: string,
  expression: string,
  options: EvaluateOptions = {}
): Promise<{ tasks: RawTask[]; bad: { row: number; reason: string }[] }> {
  const { items, bad } = await evaluate(body, expression, options);
  const tasks: RawTask[] = [];
  items.forEach(({ item, at }, i) => {
    const row = isObject(item) && typeof item.row === 'number' ? item.row : (at ?? i);
    if (!isObject(item)) return bad.push({ row, reason: 'phép ánh xạ cho ra thứ không phải nhiệm vụ' });
    tasks.push({ row, id: item.id, unitCode: item.unitCode, assigned: item.assigned, deadline: item.deadline, completed: item.completed });
  });
  return { tasks, bad };
}
