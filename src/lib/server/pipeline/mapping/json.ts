/**
 * JSON over HTTP, mapped by a JSONata expression. The expression's result is a list of records
 *   { "row"?: n, "unitCode": "00001", "date": "2026-11-20", "values": { "dossier.received": 12, … } }
 * or of flat samples { "row"?, "unitCode", "date", "metric", "value" } (grouped back into records by
 * row, else by unit and date), or — for a task tracker — of tasks
 *   { "row"?, "id", "unitCode", "assigned", "deadline", "completed" }.
 * `row` (JSONata's `#$i`) ties a record to the source's row for the poll history.
 */
import type { RawRecord, RawTask } from '../types.ts';
import { mappingPool } from './sandbox.ts';

/**
 * Parse and evaluate in the sandbox (sandbox.ts): a mapping that never ends or eats the memory
 * fails this body in words, and nothing else waits for it.
 */
async function evaluate(body: string, expression: string): Promise<unknown[]> {
  const result = await mappingPool().evaluate(body, expression);
  if (result === undefined || result === null) return [];
  return Array.isArray(result) ? result : [result];
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

export async function jsonRecords(body: string, expression: string): Promise<{ records: RawRecord[]; bad: { row: number; reason: string }[] }> {
  const items = await evaluate(body, expression);
  const records: RawRecord[] = [];
  const bad: { row: number; reason: string }[] = [];
  const grouped = new Map<string, RawRecord>();
  items.forEach((item, i) => {
    const row = isObject(item) && typeof item.row === 'number' ? item.row : i;
    if (isObject(item) && isObject(item.values)) {
      records.push({ row, unitCode: item.unitCode, date: item.date, values: item.values });
    } else if (isObject(item) && typeof item.metric === 'string') {
      const key = typeof item.row === 'number' ? `#${item.row}` : `${String(item.unitCode)}|${String(item.date)}`;
      let record = grouped.get(key);
      if (!record) {
        record = { row, unitCode: item.unitCode, date: item.date, values: {} };
        grouped.set(key, record);
        records.push(record);
      }
      record.values[item.metric] = item.value;
    } else {
      bad.push({ row, reason: 'the mapping gave neither a record with values nor a sample with a metric' });
    }
  });
  return { records, bad };
}

export async function jsonTasks(body: string, expression: string): Promise<{ tasks: RawTask[]; bad: { row: number; reason: string }[] }> {
  const items = await evaluate(body, expression);
  const tasks: RawTask[] = [];
  const bad: { row: number; reason: string }[] = [];
  items.forEach((item, i) => {
    const row = isObject(item) && typeof item.row === 'number' ? item.row : i;
    if (!isObject(item)) return bad.push({ row, reason: 'the mapping gave something that is not a task' });
    tasks.push({ row, id: item.id, unitCode: item.unitCode, assigned: item.assigned, deadline: item.deadline, completed: item.completed });
  });
  return { tasks, bad };
}
