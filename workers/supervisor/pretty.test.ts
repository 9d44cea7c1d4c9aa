import { describe, expect, it } from 'vitest';
import { createLogger } from '#server/log';
import { prettyLine, printingLogger } from './pretty.ts';

const at = '2026-11-20T06:05:09.412Z';
const local = (() => {
  const d = new Date(at);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
})();

describe('prettyLine', () => {
  it('turns a log object into time, level, name, message and its fields', () => {
    const line = JSON.stringify({ level: 'warn', time: at, pid: 7, hostname: 'vm', name: 'workers', source: 'vneid', pollRunId: 12, accepted: 0, msg: 'poll failed', error: 'HTTP 503 from the source' });
    expect(prettyLine(line, { colour: false })).toBe(`${local} WARN  workers: poll failed source=vneid pollRunId=12 accepted=0 error="HTTP 503 from the source"`);
  });

  it('paints the level', () => {
    const line = JSON.stringify({ level: 'error', time: at, msg: 'x' });
    expect(prettyLine(line)).toBe(`${local} \x1b[31mERROR\x1b[0m x`);
  });

  it('reads numeric levels and epoch times as pino writes them by default', () => {
    const line = JSON.stringify({ level: 30, time: Date.parse(at), name: 'web', msg: 'web: http://localhost:3000' });
    expect(prettyLine(line, { colour: false })).toBe(`${local} INFO  web: http://localhost:3000`); // not "web: web: …"
  });

  it("puts an error's stack on indented lines under it", () => {
    const line = JSON.stringify({ level: 'error', time: at, name: 'realtime', msg: 'board push failed', err: { type: 'Error', message: 'boom', stack: 'Error: boom\n    at flush (index.ts:1:1)' } });
    expect(prettyLine(line, { colour: false }).split('\n')).toEqual([
      `${local} ERROR realtime: board push failed`,
      '    Error: boom',
      '        at flush (index.ts:1:1)'
    ]);
  });

  it('writes objects in fields as JSON and leaves out the clock when asked', () => {
    const line = JSON.stringify({ level: 'info', time: at, msg: 'boards ranked', range: { from: '2026-11-01', to: '2026-11-20' } });
    expect(prettyLine(line, { colour: false, time: false })).toBe('INFO  boards ranked range={"from":"2026-11-01","to":"2026-11-20"}');
  });

  it.each(['vite v8.3.8 building for production...', '{ not json', '{"a":1}', '', '  at Object.<anonymous> (file.js:1:1)'])('prints %j as it is', (line) => {
    expect(prettyLine(line)).toBe(line);
  });

  it("formats the real logger's lines, redacted", () => {
    const lines: string[] = [];
    createLogger({ level: 'info', destination: { write: (l: string) => void lines.push(l.trimEnd()) } })
      .child({ name: 'poll', source: 'motcua' })
      .info({ headers: { authorization: 'Bearer s3cret' } }, 'fetched');
    expect(prettyLine(lines[0]!, { colour: false })).toMatch(/^\d{2}:\d{2}:\d{2}\.\d{3} INFO {2}poll: fetched source=motcua headers=\{"authorization":"\[redacted\]"\}$/);
  });
});

describe('printingLogger', () => {
  it('hands each line, readable, to the printer', () => {
    const printed: string[] = [];
    printingLogger((l) => printed.push(l)).child({ name: 'seed' }).info({ boards: 31 }, 'boards ranked');
    expect(printed).toEqual(['\x1b[32mINFO \x1b[0m seed: boards ranked boards=31']);
  });
});
