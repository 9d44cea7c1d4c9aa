/**
 * The provisioning file applied at start by the real workers process (`workers/main.ts`, as
 * `npm start` runs it): its sources created through saveSource as "provisioning" (audited), secrets
 * from the environment; a second start with the same file changes nothing (no audit row, no
 * updated_at change); a bad entry is logged with the file, the source key and the field, and the
 * others are applied and the workers run.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialsOf } from '#server/pipeline/poll';
import { DEMO_KEYS } from '#server/seed/demo-keys';
import { useDemoWorld, type TestDb, type TestWorld } from '../support/world.ts';

type Line = { msg: string; file?: string; key?: string; field?: string; created?: number; updated?: number; unchanged?: number; refused?: number };

describe('the provisioning file', () => {
  let db: TestDb;
  let world: TestWorld;
  let dir = '';
  let file = '';
  useDemoWorld((h) => ({ db, world } = h));

  /**
   * Starts the workers with the file, reads its log until the provisioning summary and the
   * "workers started" line, then stops it (SIGTERM, as the supervisor does) and hands back the lines.
   */
  async function startWorkers(env: Record<string, string> = {}): Promise<Line[]> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], {
      env: {
        ...process.env, DATABASE_URL: db.url, CITYOPS_SECRET_KEY: world.secretKeyHex, CITYOPS_PROVISIONING: file, LOG_LEVEL: 'info',
        EID_PASSWORD: DEMO_KEYS.eid.password, ...env
      },
      stdio: ['ignore', 'pipe', 'pipe']
    });
    child.stderr!.resume();
    const lines: Line[] = [];
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    await new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`the workers exited (${code}) before they started: ${JSON.stringify(lines)}`)));
      createInterface({ input: child.stdout! }).on('line', (text) => {
        try {
          const line = JSON.parse(text) as Line;
          lines.push(line);
          if (line.msg === 'workers started') resolve();
        } catch {
          /* not a log line */
        }
      });
    });
    child.kill('SIGTERM');
    await exited;
    return lines;
  }

  const entry = (over: Record<string, unknown> = {}) => ({
    key: 'vneid-thanh-oai',
    name: 'VNeID Thanh Oai (khai báo)',
    family: 'eid', kind: 'json_http', produces: 'samples', granularity: 'day',
    urlTemplate: `${world.simulatorUrl}/vneid/api/v2/statistics?from={from}&to={to}`,
    authKind: 'basic', username: DEMO_KEYS.eid.username, password: '${EID_PASSWORD}',
    mapping: {
      expression: 'payload.items#$i.{ "row": $i, "unitCode": areaCode, "date": date, "values": { "eid.eligible": stats.eligible, "eid.collected_level2": stats.level2Collected, "eid.activated": stats.activated } }',
      metrics: ['eid.eligible', 'eid.collected_level2', 'eid.activated']
    },
    intervalSeconds: 3600, timeoutMs: 10000, staleAfterSeconds: 7200, trailingDays: 3, scopeUnitCode: '278', priority: 40, enabled: false,
    ...over
  });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'cityops-provisioning-'));
    // The demo sources stay out of the way of these starts.
    await db.sql`update data_sources set enabled = false`;
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const sourceRows = () => db.sql<{ key: string; updated_at: string; name: string; credentials_sealed: string; interval_seconds: number }[]>`
    select key, updated_at::text as updated_at, name, credentials_sealed, interval_seconds from data_sources where key like '%-thanh-oai' order by key`;
  const provisioningAudits = () => db.sql<{ action: string; entity_id: string }[]>`select action, entity_id from audit_log where actor_name = 'provisioning' order by id`;

  it('creates the declared sources at start, with secrets from the environment, audited as "provisioning"', async () => {
    file = path.join(dir, 'sources.yaml');
    await writeFile(
      file,
      `# The province's sources, kept in its own repository.\nsources:\n` +
        [entry(), { ...entry({ key: 'motcua-thanh-oai', name: 'Một cửa Thanh Oai', family: 'dossier', authKind: 'api_key', apiKeyHeader: 'x-api-key', apiKey: '${MOTCUA_KEY}',
          urlTemplate: `${world.simulatorUrl}/motcua/api/v1/thong-ke-ngay?tuNgay={from}&denNgay={to}`, username: undefined, password: undefined,
          mapping: (await db.sql<{ mapping: { expression: string; metrics: string[] } }[]>`select mapping from data_sources where key = 'motcua'`)[0]!.mapping }) }]
          .map((e) => `  - ${JSON.stringify(e)}`)
          .join('\n') +
        '\n'
    );
    const lines = await startWorkers({ MOTCUA_KEY: DEMO_KEYS.dossier });
    expect(lines.find((l) => l.msg.startsWith('provisioning '))).toMatchObject({ file, created: 2, updated: 0, unchanged: 0, refused: 0 });
    const rows = await sourceRows();
    expect(rows.map((r) => r.key)).toEqual(['motcua-thanh-oai', 'vneid-thanh-oai']);
    // The password came from the environment, sealed; the file holds only its name.
    const [eid] = await db.sql<{ auth_kind: string; credentials_sealed: string }[]>`select auth_kind, credentials_sealed from data_sources where key = 'vneid-thanh-oai'`;
    expect(credentialsOf({ authKind: eid!.auth_kind as 'basic', credentialsSealed: eid!.credentials_sealed }, world.secretKeyHex)).toEqual({
      kind: 'basic', username: DEMO_KEYS.eid.username, password: DEMO_KEYS.eid.password
    });
    expect(await provisioningAudits()).toEqual([
      { action: 'create', entity_id: 'vneid-thanh-oai' },
      { action: 'create', entity_id: 'motcua-thanh-oai' }
    ]);
  }, 120_000);

  it('changes nothing on a second start with the same file: no audit row, no updated_at change', async () => {
    const before = await sourceRows();
    const auditsBefore = await provisioningAudits();
    const lines = await startWorkers({ MOTCUA_KEY: DEMO_KEYS.dossier });
    expect(lines.find((l) => l.msg.startsWith('provisioning '))).toMatchObject({ created: 0, updated: 0, unchanged: 2, refused: 0 });
    const after = await sourceRows();
    expect(after.map((r) => [r.key, r.updated_at, r.credentials_sealed])).toEqual(before.map((r) => [r.key, r.updated_at, r.credentials_sealed]));
    expect(await provisioningAudits()).toEqual(auditsBefore);
  }, 120_000);

  it('applies a change, and reports a bad entry with the file, the key and the field while the others are applied and the workers run', async () => {
    file = path.join(dir, 'sources.json');
    const motcuaMapping = (await db.sql<{ mapping: { expression: string; metrics: string[] } }[]>`select mapping from data_sources where key = 'motcua'`)[0]!.mapping;
    await writeFile(
      file,
      JSON.stringify({
        sources: [
          entry({ intervalSeconds: 1800 }),
          entry({ key: 'motcua-thanh-oai', name: 'Một cửa Thanh Oai', family: 'dossier', authKind: 'api_key', apiKey: '${MOTCUA_KEY}', username: undefined, password: undefined,
            urlTemplate: `${world.simulatorUrl}/motcua/api/v1/thong-ke-ngay?tuNgay={from}&denNgay={to}`, mapping: motcuaMapping, intervalSeconds: 2 }),
          entry({ key: 'ansinh-thanh-oai', password: '${NOT_SET_ANYWHERE}' })
        ]
      })
    );
    const before = await sourceRows();
    const lines = await startWorkers({ MOTCUA_KEY: DEMO_KEYS.dossier });
    const problems = lines.filter((l) => l.field !== undefined && l.key !== undefined);
    expect(problems).toEqual([
      expect.objectContaining({ file, key: 'motcua-thanh-oai', field: 'intervalSeconds', msg: expect.stringContaining(`provisioning ${file}: source motcua-thanh-oai: intervalSeconds:`) }),
      expect.objectContaining({ file, key: 'ansinh-thanh-oai', field: 'password', msg: expect.stringContaining('NOT_SET_ANYWHERE') })
    ]);
    expect(lines.find((l) => l.msg.startsWith('provisioning ') && l.created !== undefined)).toMatchObject({ created: 0, updated: 1, unchanged: 0, refused: 2 });
    expect(lines.some((l) => l.msg === 'workers started')).toBe(true);
    const after = await sourceRows();
    expect(after.map((r) => [r.key, r.interval_seconds])).toEqual([['motcua-thanh-oai', 3600], ['vneid-thanh-oai', 1800]]);
    // The refused entry kept what it had.
    expect(after[0]!.updated_at).toBe(before[0]!.updated_at);
    expect((await provisioningAudits()).at(-1)).toEqual({ action: 'update', entity_id: 'vneid-thanh-oai' });
  }, 120_000);

  it('logs a file that cannot be read with its name, and the workers start anyway', async () => {
    file = path.join(dir, 'broken.yaml');
    await writeFile(file, 'sources:\n  - key: a\n   name: [unclosed\n');
    const lines = await startWorkers();
    expect(lines.find((l) => l.field === 'file')).toMatchObject({ file, msg: expect.stringContaining(`provisioning ${file}: không đọc được tệp`) });
    expect(lines.some((l) => l.msg === 'workers started')).toBe(true);
  }, 120_000);
});
