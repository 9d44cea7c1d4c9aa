/**
 * Where JSONata mappings run: a small pool of warm helper processes, each with a memory limit
 * (`--max-old-space-size`), and a time limit per evaluation. A mapping is an administrator's
 * program run on a stranger's data — `($f := function($n){ $f($n+1) }; $f(0))` never ends, and
 * JSONata's evaluation is all promises, so in the calling process it starves the event loop of the
 * workers (no source polls) or of the web server (nobody gets a page). Here it costs one helper:
 * past the limit the helper is killed, the poll or test fails with the reason in words, and a
 * fresh helper takes its place.
 *
 * Why processes and not worker threads (node:worker_threads with resourceLimits): a thread's memory
 * limit is best effort. With maxOldGenerationSizeMb 512 on this project's Node 24, the mapping
 * `$count([1..40].[1..10000000])` ends in V8's "FATAL ERROR: Reached heap limit" and aborts the
 * whole process (exit 134), not only the thread (nodejs/node#47224; the docs call the termination
 * best effort). A process's heap limit kills that process alone.
 *
 * Only the JSONata step runs here (parse the body, evaluate, serialise the result); reading CSV and
 * sheets, the row checks and the task counts are plain code, linear in a body of at most 10 MB,
 * and stay in the calling process. Helpers start on first use and stay warm (a process per call
 * would pay a Node start and a JSONata load each time: ~60 ms); one idle for IDLE_MS exits, and an
 * idle helper never keeps its parent alive. A helper whose parent dies sees its IPC channel close
 * and exits. The helper's code is the string below, run with `node -e`, not a file beside this one:
 * the Vite build of the web server bundles this module into build/server/chunks/ and emits no file
 * named by `new URL('./x.mjs', import.meta.url)` in a server build (checked with this project's
 * Vite 8); a string runs the same under tsx, Vitest and the build. The only module it loads is
 * `jsonata`, resolved from this module's own location (node_modules).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { SourceError } from '../types.ts';
import { ZONE } from '#domain/periods';
import type { NumberLocale } from '#db/schema/sources';
import { HELPERS_SOURCE } from './helpers.ts';

export const MAPPING_LIMITS = {
  /**
   * Wall-clock time of one evaluation (parse + evaluate + serialise), from when a helper takes it,
   * plus timePerMbMs for each whole MB of body: the one-stop shop's 31-day backfill piece (3.6 MB, 16,306
   * rows) maps in ~1.1 s on a loaded 2-core machine, so a 10 MB body of that shape needs ~3 s.
   */
  timeMs: 5_000,
  timePerMbMs: 500,
  /** The helper's V8 old generation: a 10 MB body parses to ~60 MB of objects, JSONata's sequences a few times that. */
  heapMb: 512,
  /** The mapping's result, as JSON text, that may come back to the calling process. */
  resultMb: 64
} as const;

/** An idle helper exits after this long (the workers poll every few seconds: theirs stay warm). */
const IDLE_MS = 5 * 60_000;

/**
 * One helper. It parses a source's body, evaluates the mapping on it, and answers with the result
 * as JSON text: serialising there, under the helper's memory limit, means a mapping that builds a
 * huge value dies there instead of being copied into the process that asked.
 * Every evaluation sees `$request` (the window and page asked for), `$body` (the whole body) and
 * the data helpers of helpers.ts (`$number` overridden, `$num`, `$date`, `$month`) bound to the
 * source's number locale. With `each`, the path is evaluated first and the expression once per
 * item it yields (the item is the input): the answer is then a list of { ok: result } or
 * { error: message }, one per item, so one bad record fails only itself.
 *   in:  { id, body, expression, each?, request?, locale?, maxResultChars }
 *   out: { ready: true } once, then { id, text } | { id, error: 'json' | 'mapping' | 'result' | 'too_big', message }
 */
const HELPER_SOURCE = `
const jsonata = require(process.argv[1]);
const { DateTime } = require(process.argv[2]);
${HELPERS_SOURCE}
const helpers = makeHelpers(DateTime, process.argv[3]);
const compiled = new Map();
function expressionOf(text) {
  let e = compiled.get(text);
  if (!e) {
    if (compiled.size >= 200) compiled.clear();
    e = jsonata(text);
    compiled.set(text, e);
  }
  return e;
}
const words = (e) => (e && e.code ? e.code + ': ' : '') + (e && e.message ? e.message : String(e));
process.on('disconnect', () => process.exit(0));
process.on('message', async ({ id, body, expression, each, request, locale, maxResultChars }) => {
  let json;
  try { json = JSON.parse(body); } catch (e) { return process.send({ id, error: 'json', message: e.message }); }
  const bindings = Object.assign({ request: request === undefined ? null : request, body: json }, helpers.bind(locale || null));
  let result;
  try {
    if (each) {
      let items = await expressionOf(each).evaluate(json, bindings);
      items = items === undefined || items === null ? [] : Array.isArray(items) ? items : [items];
      const expr = expressionOf(expression);
      result = [];
      for (const item of items) {
        try {
          const r = await expr.evaluate(item, bindings);
          result.push({ ok: r === undefined ? null : r });
        } catch (e) { result.push({ error: words(e) }); }
      }
    } else result = await expressionOf(expression).evaluate(json, bindings);
  } catch (e) { return process.send({ id, error: 'mapping', message: words(e) }); }
  json = undefined;
  let text;
  try { text = JSON.stringify(result === undefined ? null : result); }
  catch (e) { return process.send({ id, error: e instanceof RangeError ? 'too_big' : 'result', message: e.message }); }
  if (text === undefined) text = 'null';
  if (text.length > maxResultChars) return process.send({ id, error: 'too_big', message: text.length + ' characters' });
  process.send({ id, text });
});
process.send({ ready: true });
`;

/** What an evaluation sees besides the body (see HELPER_SOURCE). */
export interface EvaluateOptions {
  /** A path: the expression runs once per item it yields; the answer is one { ok } | { error } per item. */
  each?: string | null;
  /** `$request`: the window and page the body answers. */
  request?: unknown;
  /** The source's number locale for `$number` / `$num`. */
  locale?: NumberLocale | null;
}

type Limits = { timeMs: number; timePerMbMs?: number; heapMb: number; resultMb: number };

interface Task {
  body: string;
  expression: string;
  options: EvaluateOptions;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

interface Helper {
  proc: ChildProcess;
  task: Task | null;
  id: number;
  timer?: NodeJS.Timeout;
  idleTimer?: NodeJS.Timeout;
  /** The last of its stderr: V8 says there when it ran out of memory. */
  stderr: string;
  /** Why it was stopped on purpose (the time limit), if it was. */
  killedFor?: Error;
  gone: boolean;
}

type Reply = { ready: true } | { id: number; text: string } | { id: number; error: 'json' | 'mapping' | 'result' | 'too_big'; message: string };

const seconds = (ms: number) => `${(ms / 1000).toLocaleString('vi-VN', { maximumFractionDigits: 1 })} giây`;

let jsonataPath: string | undefined;
let luxonPath: string | undefined;

export class MappingPool {
  private readonly idle: Helper[] = [];
  private readonly queue: Task[] = [];
  private live = 0;
  private starting = 0;
  private nextId = 1;
  private closed = false;
  private readonly all = new Set<Helper>();

  constructor(
    private readonly size: number = Math.min(4, Math.max(2, availableParallelism())),
    private readonly limits: Limits = MAPPING_LIMITS
  ) {}

  /** The mapping's result (the JSON it gave, parsed; null when it gave nothing). */
  evaluate(body: string, expression: string, options: EvaluateOptions = {}): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error('the mapping pool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ body, expression, options, resolve, reject });
      this.pump();
    });
  }

  /** Ends every helper (tests; a process that exits need not call it). */
  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.queue.splice(0)) t.reject(new Error('the mapping pool is closed'));
    await Promise.all(
      [...this.all].map((h) => new Promise<void>((resolve) => {
        if (h.proc.exitCode !== null || h.proc.signalCode !== null) return resolve();
        h.proc.once('exit', () => resolve());
        h.proc.ref(); // an idle helper is unref'd: its exit must still be awaited
        h.proc.kill('SIGKILL');
      }))
    );
  }

  private pump() {
    while (this.queue.length) {
      const helper = this.idle.pop();
      if (helper) {
        this.run(helper, this.queue.shift()!);
        continue;
      }
      // Start helpers for the waiting calls (up to the pool's size); each takes a call once ready.
      if (this.live < this.size && this.starting < this.queue.length) this.spawn();
      else return;
    }
  }

  private spawn() {
    this.live++;
    this.starting++;
    jsonataPath ??= createRequire(import.meta.url).resolve('jsonata');
    luxonPath ??= createRequire(import.meta.url).resolve('luxon');
    const proc = spawn(process.execPath, [`--max-old-space-size=${this.limits.heapMb}`, '-e', HELPER_SOURCE, jsonataPath, luxonPath, ZONE], {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced',
      env: {} // nothing of ours (secrets, database URLs) reaches a mapping
    });
    const helper: Helper = { proc, task: null, id: 0, stderr: '', gone: false };
    this.all.add(helper);
    let ready = false;
    proc.stderr!.on('data', (chunk: Buffer) => {
      helper.stderr = (helper.stderr + chunk.toString()).slice(-2000);
    });
    proc.on('message', (reply: Reply) => {
      if ('ready' in reply) {
        ready = true;
        this.starting--;
        return this.release(helper);
      }
      if (!helper.task || reply.id !== helper.id) return;
      const task = helper.task;
      this.release(helper);
      if ('text' in reply) {
        try {
          task.resolve(JSON.parse(reply.text));
        } catch (e) {
          task.reject(e as Error);
        }
      } else task.reject(this.errorOf(reply));
    });
    proc.on('error', () => {}); // a failed spawn also ends in 'exit' (or 'close'), handled there
    proc.once('close', (code, signal) => {
      if (!ready) this.starting--;
      const task = helper.task;
      const why = helper.killedFor ?? this.deathOf(helper, code, signal);
      this.retire(helper);
      task?.reject(why);
      // A helper that could not even start fails the waiting calls instead of retrying forever.
      if (!ready && !helper.killedFor && !this.closed) {
        for (const t of this.queue.splice(0)) t.reject(why);
      }
    });
    // Started for a waiting call: it stays referenced until it is idle (release()).
  }

  private run(helper: Helper, task: Task) {
    clearTimeout(helper.idleTimer);
    helper.task = task;
    helper.id = this.nextId++;
    // A mapping in flight keeps the process alive until it answers.
    helper.proc.ref();
    (helper.proc.channel as { ref?: () => void } | undefined)?.ref?.();
    (helper.proc.stderr as { ref?: () => void } | null)?.ref?.();
    const limitMs = this.limits.timeMs + (this.limits.timePerMbMs ?? 0) * Math.floor(task.body.length / 1_000_000);
    helper.timer = setTimeout(() => {
      helper.killedFor = new SourceError(`phép ánh xạ chạy quá ${seconds(limitMs)} và đã bị dừng`, 'mapping');
      helper.proc.kill('SIGKILL');
    }, limitMs);
    const { each, request, locale } = task.options;
    helper.proc.send({
      id: helper.id, body: task.body, expression: task.expression, each: each ?? null, request: request ?? null, locale: locale ?? null,
      maxResultChars: this.limits.resultMb * 1024 * 1024
    });
  }

  private release(helper: Helper) {
    clearTimeout(helper.timer);
    helper.task = null;
    if (helper.gone) return;
    if (this.closed) {
      helper.proc.kill('SIGKILL');
      return;
    }
    this.unref(helper);
    helper.idleTimer = setTimeout(() => helper.proc.kill('SIGTERM'), IDLE_MS);
    helper.idleTimer.unref();
    this.idle.push(helper);
    this.pump();
  }

  /** An idle helper keeps nothing alive: neither its process, its IPC channel nor its stderr pipe. */
  private unref(helper: Helper) {
    helper.proc.unref();
    (helper.proc.channel as { unref?: () => void } | undefined)?.unref?.();
    (helper.proc.stderr as { unref?: () => void } | null)?.unref?.();
  }

  /** Takes a dead helper out of the pool (once), and lets a fresh one start for the queue. */
  private retire(helper: Helper) {
    clearTimeout(helper.timer);
    clearTimeout(helper.idleTimer);
    helper.task = null;
    if (helper.gone) return;
    helper.gone = true;
    this.all.delete(helper);
    const i = this.idle.indexOf(helper);
    if (i >= 0) this.idle.splice(i, 1);
    this.live--;
    if (!this.closed) this.pump();
  }

  private deathOf(helper: Helper, code: number | null, signal: NodeJS.Signals | null): Error {
    if (/heap out of memory|Allocation failed|Invalid array length/.test(helper.stderr)) {
      return new SourceError(`phép ánh xạ dùng quá ${this.limits.heapMb} MB bộ nhớ và đã bị dừng`, 'mapping');
    }
    const last = helper.stderr.trim().split('\n').at(-1);
    return new SourceError(`phép ánh xạ bị dừng bất thường (${signal ?? `mã thoát ${code}`}${last ? `: ${last.slice(0, 200)}` : ''})`, 'mapping');
  }

  private errorOf(reply: Extract<Reply, { error: string }>): Error {
    switch (reply.error) {
      case 'json':
        return new SourceError(`dữ liệu trả về không phải JSON hợp lệ (${reply.message})`, 'parse');
      case 'mapping':
        return new SourceError(`phép ánh xạ lỗi trên dữ liệu này: ${reply.message}`, 'mapping');
      case 'too_big':
        return new SourceError(`phép ánh xạ cho kết quả quá lớn (hơn ${this.limits.resultMb} MB) và đã bị dừng`, 'mapping');
      default:
        return new SourceError(`phép ánh xạ cho kết quả không phải dữ liệu: ${reply.message}`, 'mapping');
    }
  }
}

let shared: MappingPool | undefined;

/** The process's pool, started on first use. */
export function mappingPool(): MappingPool {
  shared ??= new MappingPool();
  return shared;
}
