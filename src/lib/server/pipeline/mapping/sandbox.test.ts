import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MappingPool } from './sandbox.ts';

// Short limits keep this file quick; the real ones (5 s, 512 MB) are exercised through the workers
// and the web server in test/integration/mapping-limits.test.ts and test/e2e/mapping-limits.spec.ts.
const pool = new MappingPool(2, { timeMs: 1_000, heapMb: 64, resultMb: 1 });
afterAll(() => pool.close());

const ENDLESS = '($f := function($n){ $f($n+1) }; $f(0))';
const body = JSON.stringify({ rows: [{ c: '00001', r: 4 }, { c: '00004', r: 7 }] });

describe('the JSONata sandbox', () => {
  it('evaluates a mapping and hands back plain data', async () => {
    expect(await pool.evaluate(body, 'rows.{"unitCode": c, "values": {"dossier.received": r}}')).toEqual([
      { unitCode: '00001', values: { 'dossier.received': 4 } },
      { unitCode: '00004', values: { 'dossier.received': 7 } }
    ]);
    expect(await pool.evaluate(body, 'nothing')).toBeNull();
  });

  it('says in words when the body is not JSON or the mapping fails on it', async () => {
    await expect(pool.evaluate('{"rows": [', 'rows')).rejects.toMatchObject({ stage: 'parse', message: expect.stringMatching(/^dữ liệu trả về không phải JSON hợp lệ \(/) });
    await expect(pool.evaluate(body, '$number("x") + $undefinedFunction()')).rejects.toMatchObject({
      stage: 'mapping', message: expect.stringMatching(/^phép ánh xạ lỗi trên dữ liệu này: T\d{4}: /)
    });
  });

  it('stops an endless mapping at the time limit, while the other helper keeps answering', async () => {
    const t0 = performance.now();
    const endless = pool.evaluate(body, ENDLESS);
    // The pool has two helpers: the endless mapping holds one, good mappings go through the other meanwhile.
    const quick: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      expect(await pool.evaluate(body, '$count(rows)')).toBe(2);
      quick.push(performance.now() - t);
    }
    await expect(endless).rejects.toThrow('phép ánh xạ chạy quá 1 giây và đã bị dừng');
    const took = performance.now() - t0;
    expect(took).toBeGreaterThanOrEqual(950);
    expect(took).toBeLessThan(4_000);
    expect(Math.max(...quick)).toBeLessThan(900);
    // The killed helper was replaced: the pool still answers, with both helpers.
    expect(await Promise.all([pool.evaluate(body, '1'), pool.evaluate(body, '2')])).toEqual([1, 2]);
  });

  it('stops a mapping that eats the memory, or gives a result larger than allowed', async () => {
    await expect(pool.evaluate(body, '($f := function($a){ $f($append($a, $a)) }; $f([1]))')).rejects.toThrow(
      'phép ánh xạ dùng quá 64 MB bộ nhớ và đã bị dừng'
    );
    // The shape that aborts the whole process when it runs in a worker thread (see sandbox.ts): here only its helper dies.
    await expect(pool.evaluate(body, '$count([1..40].[1..10000000])')).rejects.toThrow('phép ánh xạ dùng quá 64 MB bộ nhớ và đã bị dừng');
    // 20 strings of 100 million characters: cheap ropes inside JSONata, 2 GB once written out.
    await expect(pool.evaluate(body, '($s := $pad("", 100000000, "x"); [1..20].($s & $string($)))')).rejects.toThrow(
      /^phép ánh xạ (cho kết quả quá lớn \(hơn 1 MB\)|dùng quá 64 MB bộ nhớ) và đã bị dừng$/
    );
    await expect(pool.evaluate(body, '$pad("", 2000000, "x")')).rejects.toThrow('phép ánh xạ cho kết quả quá lớn (hơn 1 MB) và đã bị dừng');
    expect(await pool.evaluate(body, 'rows[0].c')).toBe('00001');
  });

  it('keeps the process alive while a mapping runs, and not once its helpers are idle', async () => {
    // A script that maps once and has nothing else to do must end by itself (the bench, a seed).
    const root = path.resolve(import.meta.dirname, '../../../../..');
    const script = `const { mappingPool } = await import('#server/pipeline/mapping/sandbox'); console.log(await mappingPool().evaluate('{"a":[1,2]}', '$sum(a)'));`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const t0 = performance.now();
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(out.trim()).toBe('3');
    expect(code).toBe(0);
    expect(performance.now() - t0).toBeLessThan(8_000);
  }, 15_000);

  it('queues calls beyond its helpers and answers every one', async () => {
    const many = await Promise.all(Array.from({ length: 20 }, (_, i) => pool.evaluate(body, `${i} + $count(rows)`)));
    expect(many).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
  });
});
