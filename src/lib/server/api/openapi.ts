/**
 * The OpenAPI 3.1 description of the JSON admin API (served at /api/v1/openapi.json). Written by
 * hand; src/lib/server/api/openapi.test.ts checks it against the route files under
 * src/routes/api/v1/admin (every path and method in both, no more, no less).
 */

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const jsonBody = (schema: object, description?: string) => ({ ...(description ? { description } : {}), content: { 'application/json': { schema } } });
const errorResponse = (description: string) => jsonBody(ref('Error'), description);

const keyParam = { name: 'key', in: 'path', required: true, description: 'The source key (a-z, 0-9, -).', schema: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{1,39}$' } };
const langHeader = {
  name: 'Accept-Language', in: 'header', required: false,
  description: 'Language of the error words: `en` for English where a message has an English form; Vietnamese by default (the site\'s locale cookie wins).',
  schema: { type: 'string', example: 'en' }
};

const common = {
  '401': errorResponse('No credentials, an unknown API token, or a revoked one (words in `error`).'),
  '403': errorResponse('Signed in, but not an administrator.')
};
const withKey = { ...common, '404': errorResponse('No source with this key.') };

/** The fields of a source as the admin form has them (new fields of the form are accepted too). */
const sourceInput = {
  type: 'object',
  description:
    'A source, in the fields of the admin form. Numbers and booleans may be JSON numbers and booleans or their text. ' +
    'Credential fields (apiKey, username + password, token) left out keep the saved credentials — only while the URL stays on the same scheme, host and port. ' +
    'Fields the form gains later are accepted under the same names.',
  additionalProperties: true,
  properties: {
    key: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{1,39}$' },
    name: { type: 'string', maxLength: 200 },
    family: { type: 'string', enum: ['dossier', 'eid', 'payment', 'task'] },
    kind: { type: 'string', enum: ['json_http', 'csv_http', 'upload'] },
    produces: { type: 'string', enum: ['samples', 'tasks'] },
    granularity: { type: 'string', enum: ['day', 'month'] },
    urlTemplate: { type: 'string', description: 'http(s) URL with placeholders such as {from}, {to:dd/MM/yyyy}, {page}.' },
    authKind: { type: 'string', enum: ['none', 'api_key', 'basic', 'bearer'] },
    apiKeyHeader: { type: 'string', description: 'Header of an API key (default x-api-key).' },
    apiKey: { type: 'string', writeOnly: true },
    username: { type: 'string', writeOnly: true },
    password: { type: 'string', writeOnly: true },
    token: { type: 'string', writeOnly: true },
    mapping: {
      description: 'JSON sources: the JSONata expression with its lines "metrics: a, b" (and "each: path"), or {expression, metrics, each}. Tables: the column mapping as JSON (text or object).',
      oneOf: [
        { type: 'string' },
        { type: 'object', properties: { expression: { type: 'string' }, metrics: { type: 'array', items: { type: 'string' } }, each: { type: 'string' } }, required: ['expression'] },
        { type: 'object', additionalProperties: true }
      ]
    },
    intervalSeconds: { type: ['integer', 'string'], minimum: 5, maximum: 86400 },
    timeoutMs: { type: ['integer', 'string'], minimum: 500, maximum: 120000 },
    staleAfterSeconds: { type: ['integer', 'string'], minimum: 30 },
    trailingDays: { type: ['integer', 'string'], minimum: 1, maximum: 400, description: 'At most 31 for a source of daily values; up to 400 for a periodic source.' },
    periods: {
      description: 'A periodic source: the period kinds it publishes (month, quarter, year), as a list or comma-separated text; empty or null: a source of daily values.',
      oneOf: [{ type: 'array', items: { type: 'string', enum: ['month', 'quarter', 'year'] } }, { type: 'string' }, { type: 'null' }]
    },
    dailyDeadline: { type: 'string', description: 'HH:MM (Hà Nội time), or empty.' },
    scopeUnitCode: { type: 'string', description: 'Code of the unit whose descendants the source may report, or empty.' },
    priority: { type: ['integer', 'string', 'null'], minimum: 0, maximum: 1000, description: 'Higher wins; empty: 100 for a polled source, 10 for an upload.' },
    enabled: { type: ['boolean', 'string'], description: 'true / false; left out on create or PUT: true.' }
  }
};

const source = {
  type: 'object',
  description: 'A stored source. Credentials are never returned: `hasCredentials` says whether some are saved.',
  additionalProperties: true,
  required: ['id', 'key', 'name', 'family', 'kind', 'authKind', 'hasCredentials', 'enabled', 'priority'],
  properties: {
    id: { type: 'integer' },
    key: { type: 'string' },
    name: { type: 'string' },
    family: { type: 'string' },
    kind: { type: 'string' },
    produces: { type: 'string' },
    granularity: { type: 'string' },
    urlTemplate: { type: 'string' },
    authKind: { type: 'string' },
    hasCredentials: { type: 'boolean' },
    mapping: { type: 'string', description: 'As the form shows it.' },
    intervalSeconds: { type: 'integer' },
    timeoutMs: { type: 'integer' },
    staleAfterSeconds: { type: 'integer' },
    trailingDays: { type: 'integer' },
    periods: { type: 'string', description: 'The period kinds a periodic source publishes, comma-separated (month,quarter,year); empty for a source of daily values.' },
    dailyDeadline: { type: 'string' },
    scopeUnitCode: { type: 'string' },
    enabled: { type: 'boolean' },
    priority: { type: 'integer' }
  }
};

const sourceHealth = {
  type: 'object',
  additionalProperties: true,
  description: 'A source with its health (as GET /api/v1/sources/health), its interval, host and priority.',
  properties: {
    key: { type: 'string' }, name: { type: 'string' }, family: { type: 'string' }, kind: { type: 'string' }, enabled: { type: 'boolean' },
    status: { type: 'string', enum: ['ok', 'partial', 'failing', 'stale', 'circuit_open', 'disabled', 'never_polled'] },
    lastPollAt: { type: ['string', 'null'], format: 'date-time' }, lastSuccessAt: { type: ['string', 'null'], format: 'date-time' },
    lastError: { type: ['string', 'null'] }, consecutiveFailures: { type: 'integer' },
    intervalSeconds: { type: 'integer' }, host: { type: 'string' }, priority: { type: 'integer' }
  }
};

const exchange = {
  type: 'object',
  properties: {
    request: { type: 'object', properties: { method: { type: 'string' }, url: { type: 'string' }, headers: { type: 'object', additionalProperties: { type: 'string' }, description: 'Secrets masked as ••••.' }, body: { type: ['string', 'null'] } } },
    response: { type: 'object', properties: { status: { type: 'integer' }, contentType: { type: ['string', 'null'] }, body: { type: 'string', description: 'The first 64 KB, pretty-printed when JSON.' }, truncated: { type: 'boolean' } } }
  }
};

const testReport = {
  type: 'object',
  additionalProperties: true,
  description: 'What a test connection found. Nothing is stored. `ok: false` with `stage` and `error` (and the vendor\'s own `vendorMessage`) when it failed.',
  required: ['ok'],
  properties: {
    ok: { type: 'boolean' },
    stage: { type: ['string', 'null'], enum: ['connection', 'http', 'parse', 'mapping', 'config', null] },
    error: { type: ['string', 'null'] },
    vendorMessage: { type: ['string', 'null'] },
    window: { type: ['object', 'null'], properties: { from: { type: 'string', format: 'date' }, to: { type: 'string', format: 'date' } } },
    exchanges: { type: 'array', items: exchange },
    read: { type: 'integer' },
    accepted: { type: 'integer' },
    rejectedCount: { type: 'integer' },
    samples: { type: 'array', items: { type: 'object', properties: { unitCode: { type: 'string' }, metric: { type: 'string' }, date: { type: 'string', format: 'date' }, value: { type: 'number' } } } },
    rejected: { type: 'array', items: { type: 'object', properties: { index: { type: 'integer' }, reason: { type: 'string' } } } },
    shown: { type: 'object', properties: { samples: { type: 'integer' }, rejected: { type: 'integer' } } }
  }
};

const backfillWindow = {
  type: 'object',
  properties: {
    from: { type: 'string', format: 'date' }, to: { type: 'string', format: 'date' }, state: { type: 'string', enum: ['done', 'failed'] },
    accepted: { type: 'integer' }, rejected: { type: 'integer' }, error: { type: ['string', 'null'] }, runId: { type: 'integer' }
  }
};

const backfillProgress = {
  type: ['object', 'null'],
  properties: {
    sourceKey: { type: 'string' }, sourceName: { type: 'string' }, from: { type: 'string', format: 'date' }, to: { type: 'string', format: 'date' },
    windows: { type: 'array', items: backfillWindow }, samples: { type: 'integer' }, rejected: { type: 'integer' }, failed: { type: 'integer' }
  }
};

const jobStatus = {
  type: 'object',
  additionalProperties: true,
  required: ['kind', 'state', 'done', 'total'],
  properties: {
    kind: { type: 'string' },
    state: { type: 'string', enum: ['queued', 'running', 'retrying', 'done', 'failed'] },
    done: { type: 'integer' },
    total: { type: 'integer' },
    error: { type: ['string', 'null'] },
    finishedAt: { type: ['string', 'null'], format: 'date-time' },
    poll: {
      type: ['object', 'null'],
      properties: {
        runId: { type: ['integer', 'null'] }, outcome: { type: 'string', enum: ['success', 'partial', 'failed', 'skipped'] },
        accepted: { type: 'integer' }, rejected: { type: 'integer' }, error: { type: ['string', 'null'] }, skipped: { type: ['string', 'null'] }
      }
    },
    backfill: { ...backfillProgress, description: 'A backfill\'s windows so far (kind backfill).' }
  }
};

const jobQueued = {
  type: 'object',
  required: ['jobId', 'status'],
  properties: {
    jobId: { type: ['string', 'null'], format: 'uuid', description: 'null when a poll of this source is already waiting.' },
    status: { type: ['string', 'null'], description: 'Where to follow it (GET).' }
  }
};

/** A refused import: every problem of the files, by file and line (the same words as the admin screen). */
const unitsImportProblem = {
  type: 'object',
  required: ['file', 'line', 'field', 'message'],
  properties: {
    file: { type: ['string', 'null'], description: 'The file\'s name (the multipart file name, `registerName` / `mergesName`, else the field).' },
    line: { type: ['integer', 'null'], description: 'The file\'s line (the header is line 1); null for the file or the field as a whole.' },
    field: { type: ['string', 'null'], enum: ['register', 'merges', 'effectiveFrom', null] },
    message: { type: 'string', example: 'merge-2025.csv dòng 17: new_gso_code 99999 (Phường Ba Đình) không có trong danh mục vietnam-2025.csv và không phải đơn vị đang hiệu lực' }
  }
};

const codesList = { type: 'array', items: { type: 'string' } };

const unitsImportResult = {
  type: 'object',
  additionalProperties: true,
  required: ['ok', 'kind', 'counts', 'recompute'],
  description:
    '`kind: "register"` (a register alone: units created or updated in place, legacy merged_into) or `kind: "reform"` (with a merge table and `effectiveFrom`). ' +
    'The same files again: every count is "unchanged" and nothing is queued (reform).',
  properties: {
    ok: { type: 'boolean', const: true },
    kind: { type: 'string', enum: ['register', 'reform'] },
    counts: {
      type: 'object',
      additionalProperties: true,
      description:
        'register: rows, created, updated, merged, unchanged, moved, lineage. reform: effectiveFrom, endedOn, registerRows, mergeRows, created, newVersions ' +
        '(new units keeping an ended unit\'s code), updated, unchanged, ended, lineage {created, updated, unchanged, removed}, skipped {rows, provinces: ' +
        '{old province code: rows}, notAUnit: [lines]}, alreadyEnded, homeUnit.'
    },
    created: codesList, updated: codesList, merged: codesList, newVersions: codesList, ended: codesList,
    moved: { type: 'array', items: { type: 'object', properties: { code: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } } } },
    recompute: {
      type: ['object', 'null'],
      description: 'The boards recomputed by the workers (reform: every period of every kind from the one holding effectiveFrom through today\'s), one job per period; null when nothing changed or no scheme is active.',
      properties: { batch: { type: 'string', format: 'uuid' }, periods: { type: 'integer' }, status: { type: 'string', description: 'GET it to follow the batch.' } }
    }
  }
};

export const OPENAPI = {
  openapi: '3.1.0',
  info: {
    title: 'City Ops — admin API',
    version: '1',
    description:
      'Everything an administrator does with data sources and the units register on the screens, as JSON. Authenticate with an API token created at /admin/api-tokens ' +
      '(`Authorization: Bearer cop_…`; it acts as an administrator on /api/v1/admin/* only, every use is audited under its name) or with an ' +
      'administrator\'s session cookie (then state-changing calls must come from this site). Errors: `{ "error": "<words>", "fields": { "<field>": "<message>" } }`, ' +
      'Vietnamese by default, English with `Accept-Language: en` where a message has an English form.'
  },
  servers: [{ url: '/' }],
  security: [{ bearerToken: [] }, { session: [] }],
  tags: [{ name: 'sources' }, { name: 'units' }, { name: 'jobs' }, { name: 'alerts' }, { name: 'targets' }],
  paths: {
    '/api/v1/admin/sources': {
      get: {
        tags: ['sources'], operationId: 'listSources', summary: 'Every source with its health', parameters: [langHeader],
        responses: { '200': jsonBody({ type: 'object', required: ['sources'], properties: { sources: { type: 'array', items: ref('SourceHealth') } } }, 'The sources.'), ...common }
      },
      post: {
        tags: ['sources'], operationId: 'createSource', summary: 'Create a source', parameters: [langHeader],
        requestBody: { required: true, ...jsonBody(ref('SourceInput')) },
        responses: {
          '201': jsonBody(ref('Source'), 'Created; `Location` names it.'),
          '400': errorResponse('Not a JSON object, or a field is invalid (each named in `fields`).'),
          '409': errorResponse('The key is taken, or the source overlaps another enabled source of the same priority (`fields.priority`).'),
          '422': errorResponse('Refused on save: the mapping, the unit scope, the URL\'s destination, the credentials (each named in `fields`).'),
          ...common
        }
      }
    },
    '/api/v1/admin/sources/{key}': {
      parameters: [keyParam],
      get: { tags: ['sources'], operationId: 'getSource', summary: 'One source (never its credentials)', parameters: [langHeader], responses: { '200': jsonBody(ref('Source'), 'The source.'), ...withKey } },
      put: {
        tags: ['sources'], operationId: 'replaceSource', summary: 'Replace a source (credential fields left out keep the saved ones)', parameters: [langHeader],
        requestBody: { required: true, ...jsonBody(ref('SourceInput')) },
        responses: { '200': jsonBody(ref('Source'), 'Saved.'), '400': errorResponse('Invalid.'), '409': errorResponse('Key taken, or overlap.'), '422': errorResponse('Refused on save.'), ...withKey }
      },
      patch: {
        tags: ['sources'], operationId: 'updateSource', summary: 'Change the fields given (the others, and credentials left out, stay)', parameters: [langHeader],
        requestBody: { required: true, ...jsonBody({ ...ref('SourceInput') }) },
        responses: { '200': jsonBody(ref('Source'), 'Saved.'), '400': errorResponse('Invalid.'), '409': errorResponse('Key taken, or overlap.'), '422': errorResponse('Refused on save.'), ...withKey }
      }
    },
    '/api/v1/admin/sources/{key}/test': {
      parameters: [keyParam],
      post: {
        tags: ['sources'], operationId: 'testSource',
        summary: 'Test connection: fetch once, map, check, store nothing (audited)',
        description: 'A saved source is tested as saved, with the fields of the body (optional) over it; a key not saved yet needs the whole source in the body.',
        parameters: [langHeader],
        requestBody: { required: false, ...jsonBody(ref('SourceInput')) },
        responses: { '200': jsonBody(ref('TestReport'), 'The report (also when the source failed: `ok: false`).'), '400': errorResponse('Invalid.'), '422': errorResponse('Cannot be tested as given.'), ...common }
      }
    },
    '/api/v1/admin/sources/{key}/enable': {
      parameters: [keyParam],
      post: { tags: ['sources'], operationId: 'enableSource', summary: 'Enable the source', parameters: [langHeader], responses: { '200': jsonBody(ref('Source'), 'Enabled.'), '409': errorResponse('Refused (an overlap).'), ...withKey } }
    },
    '/api/v1/admin/sources/{key}/disable': {
      parameters: [keyParam],
      post: { tags: ['sources'], operationId: 'disableSource', summary: 'Disable the source (its waiting polls are dropped)', parameters: [langHeader], responses: { '200': jsonBody(ref('Source'), 'Disabled.'), ...withKey } }
    },
    '/api/v1/admin/sources/{key}/poll': {
      parameters: [keyParam],
      post: {
        tags: ['sources'], operationId: 'pollSourceNow', summary: 'Poll now (goes through an open circuit breaker)', parameters: [langHeader],
        responses: { '202': jsonBody(ref('JobQueued'), 'Queued; follow `status`.'), '409': errorResponse('The source is disabled.'), ...withKey }
      }
    },
    '/api/v1/admin/sources/{key}/backfill': {
      parameters: [keyParam],
      post: {
        tags: ['sources'], operationId: 'backfillSource',
        summary: 'Load the source\'s history over a past range ("Nạp lịch sử"), as a job',
        description: 'The range is cut into the source\'s windows; each is fetched, mapped and stored like a poll, with its result in the job\'s progress. No limit on how far back: as far as the source answers.',
        parameters: [langHeader],
        requestBody: { required: true, ...jsonBody(ref('BackfillRequest')) },
        responses: {
          '202': jsonBody(ref('BackfillQueued'), 'Queued; follow `status`.'),
          '400': errorResponse('A date is missing or wrong, from is after to, or to is after today (`fields.from` / `fields.to`).'),
          '409': errorResponse('The source is disabled, takes uploads only, or already has a backfill waiting.'),
          ...withKey
        }
      }
    },
    '/api/v1/admin/units/import': {
      post: {
        tags: ['units'], operationId: 'importUnits',
        summary: 'Import the register of administrative units, optionally with its merge table and the day it takes effect',
        description:
          'The admin screen /admin/units as JSON. A register alone (gso_code,name,level,type,parent_gso_code[,external_codes][,merged_into][,valid_from][,valid_to]) ' +
          'creates units or updates those of the same code in place. With a merge table (new_gso_code,new_name,old_gso_code,old_name,old_district_code,old_province_code,note) ' +
          'and `effectiveFrom` D, it is a reform: the units it replaces end on D−1, the register\'s units are in force from D (a new row where a code is reused), ' +
          'each old unit is linked to its new one(s) with the register\'s note and a share, VN is put above the provinces with the home unit kept (docs/units.md). ' +
          'All or nothing. Each file at most 2 MB (UTF-8).',
        parameters: [langHeader],
        requestBody: {
          required: true,
          content: {
            'multipart/form-data': {
              schema: {
                type: 'object', required: ['register'],
                properties: {
                  register: { type: 'string', format: 'binary', description: 'The register (CSV).' },
                  merges: { type: 'string', format: 'binary', description: 'The merge table (CSV), optional.' },
                  effectiveFrom: { type: 'string', description: 'dd/MM/yyyy or YYYY-MM-DD; required with merges, refused without.', example: '01/07/2025' }
                }
              }
            },
            'application/json': {
              schema: {
                type: 'object', required: ['register'],
                properties: {
                  register: { type: 'string', description: 'The register\'s CSV text.' },
                  registerName: { type: 'string', description: 'The name the register goes by in the problems (e.g. vietnam-2025.csv).' },
                  merges: { type: ['string', 'null'], description: 'The merge table\'s CSV text, optional.' },
                  mergesName: { type: 'string' },
                  effectiveFrom: { type: ['string', 'null'], example: '2025-07-01' }
                }
              }
            }
          }
        },
        responses: {
          '200': jsonBody(ref('UnitsImportResult'), 'Imported; follow `recompute.status`.'),
          '400': errorResponse('Not multipart nor a JSON object, a field missing or wrong (`fields.register`, `fields.merges`, `fields.effectiveFrom`).'),
          '422': jsonBody(ref('UnitsImportRefused'), 'The files are refused, nothing changed: every problem by file and line.'),
          ...common
        }
      }
    },
    '/api/v1/admin/targets': {
      get: {
        tags: ['targets'], operationId: 'listTargets', summary: 'Every target (chỉ tiêu, docs/targets.md)', parameters: [langHeader],
        responses: { '200': jsonBody({ type: 'object', required: ['targets'], properties: { targets: { type: 'array', items: ref('Target') } } }, 'The targets.'), ...common }
      },
      post: {
        tags: ['targets'], operationId: 'setTarget', summary: 'Set a target (the fields of the form at /admin/targets); one at the same indicator, unit and period takes the new value', parameters: [langHeader],
        requestBody: { required: true, ...jsonBody(ref('TargetInput')) },
        responses: { '201': jsonBody(ref('Target'), 'Created.'), '200': jsonBody(ref('Target'), 'An existing target took the new value.'), '400': errorResponse('Not a JSON object, or a field is invalid (each named in `fields`).'), ...common }
      }
    },
    '/api/v1/admin/targets/{id}': {
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
      get: { tags: ['targets'], operationId: 'getTarget', summary: 'One target', parameters: [langHeader], responses: { '200': jsonBody(ref('Target'), 'The target.'), '404': errorResponse('No such target.'), ...common } },
      put: {
        tags: ['targets'], operationId: 'replaceTarget', summary: 'Change a target', parameters: [langHeader],
        requestBody: { required: true, ...jsonBody(ref('TargetInput')) },
        responses: { '200': jsonBody(ref('Target'), 'Saved.'), '400': errorResponse('A field is invalid (each named in `fields`).'), '404': errorResponse('No such target.'), ...common }
      },
      delete: { tags: ['targets'], operationId: 'deleteTarget', summary: 'Delete a target', parameters: [langHeader], responses: { '204': { description: 'Deleted.' }, '404': errorResponse('No such target.'), ...common } }
    },
    '/api/v1/admin/alerts': {
      get: {
        tags: ['alerts'], operationId: 'listAlertRules', summary: 'Every alert rule (docs/alerts.md), never a webhook secret', parameters: [langHeader],
        responses: { '200': jsonBody({ type: 'object', required: ['rules'], properties: { rules: { type: 'array', items: ref('AlertRule') } } }, 'The rules.'), ...common }
      },
      post: {
        tags: ['alerts'], operationId: 'createAlertRule', summary: 'Create an alert rule (the fields of the form at /admin/alerts)', parameters: [langHeader],
        requestBody: { required: true, ...jsonBody(ref('AlertRuleInput')) },
        responses: { '201': jsonBody({ type: 'object', required: ['id'], properties: { id: { type: 'integer' } } }, 'Created.'), '400': errorResponse('Not a JSON object, or a field is invalid (each named in `fields`).'), ...common }
      }
    },
    '/api/v1/admin/alerts/{id}': {
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
      get: { tags: ['alerts'], operationId: 'getAlertRule', summary: 'One alert rule (never its webhook secret)', parameters: [langHeader], responses: { '200': jsonBody(ref('AlertRule'), 'The rule.'), '404': errorResponse('No such rule.'), ...common } },
      put: {
        tags: ['alerts'], operationId: 'replaceAlertRule', summary: 'Replace an alert rule (a webhook secret left out keeps the saved one for the same URL)', parameters: [langHeader],
        requestBody: { required: true, ...jsonBody(ref('AlertRuleInput')) },
        responses: { '200': jsonBody(ref('AlertRule'), 'Saved.'), '400': errorResponse('A field is invalid (each named in `fields`).'), '404': errorResponse('No such rule.'), ...common }
      },
      patch: {
        tags: ['alerts'], operationId: 'switchAlertRule', summary: 'Switch an alert rule on or off, and nothing else', parameters: [langHeader],
        requestBody: { required: true, ...jsonBody({ type: 'object', required: ['enabled'], additionalProperties: false, properties: { enabled: { type: 'boolean' } } }) },
        responses: { '200': jsonBody(ref('AlertRule'), 'Switched.'), '400': errorResponse('Another field than enabled, or enabled not a boolean.'), '404': errorResponse('No such rule.'), ...common }
      },
      delete: { tags: ['alerts'], operationId: 'deleteAlertRule', summary: 'Delete an alert rule and the alerts it raised', parameters: [langHeader], responses: { '204': { description: 'Deleted.' }, '404': errorResponse('No such rule.'), ...common } }
    },
    '/api/v1/admin/jobs/{kind}/{id}': {
      parameters: [
        { name: 'kind', in: 'path', required: true, schema: { type: 'string', enum: ['poll', 'recompute', 'backfill'] } },
        { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }
      ],
      get: { tags: ['jobs'], operationId: 'jobStatus', summary: 'A job\'s progress', parameters: [langHeader], responses: { '200': jsonBody(ref('JobStatus'), 'Its progress.'), '404': errorResponse('No such job (finished jobs are kept 7 days).'), ...common } }
    }
  } as Record<string, Record<string, unknown>>,
  components: {
    securitySchemes: {
      bearerToken: { type: 'http', scheme: 'bearer', bearerFormat: 'cop_<43 base64url characters>', description: 'An API token from /admin/api-tokens.' },
      session: { type: 'apiKey', in: 'cookie', name: 'cityops_session', description: 'An administrator\'s session (POST /api/v1/auth/session).' }
    },
    schemas: {
      Error: {
        type: 'object', required: ['error', 'fields'],
        properties: { error: { type: 'string', description: 'In words.' }, fields: { type: 'object', additionalProperties: { type: 'string' }, description: 'A message per bad field.' } }
      },
      SourceInput: sourceInput,
      TargetInput: {
        type: 'object', required: ['indicatorKey', 'percent'],
        properties: {
          indicatorKey: { type: 'string', description: 'An indicator of the operations scheme (dossier.on_time …).' },
          scopeCode: { type: 'string', description: "A unit's code: its own target; left out or the city's code: the whole installation." },
          periodKind: { type: 'string', enum: ['day', 'week', 'month', 'quarter', 'year', 'report_month', 'report_quarter', 'report_year'], description: 'Left out: every period.' },
          periodDate: { type: 'string', description: 'With periodKind: any day of the period (YYYY-MM-DD or dd/mm/yyyy).' },
          percent: { oneOf: [{ type: 'number' }, { type: 'string' }], description: 'The least ratio in percent, above 0 and at most 100: 95, 95.5 or "95,5".' }
        }
      },
      Target: {
        type: 'object', required: ['id', 'indicatorKey', 'unitCode', 'periodKind', 'periodStart', 'minRatio'],
        properties: {
          id: { type: 'integer' }, schemeKey: { type: 'string' }, indicatorKey: { type: 'string' }, indicatorName: { type: 'string' },
          unitCode: { type: ['string', 'null'], description: 'null: the whole installation.' }, unitName: { type: ['string', 'null'] },
          periodKind: { type: ['string', 'null'], description: 'null: every period.' }, periodStart: { type: ['string', 'null'], format: 'date' },
          minRatio: { type: 'number', description: '0..1 (0.95 = 95 %).' }, updatedAt: { type: 'string', format: 'date-time' }, updatedBy: { type: ['string', 'null'] }
        }
      },
      AlertRuleInput: {
        type: 'object', required: ['name', 'kind'],
        properties: {
          name: { type: 'string', maxLength: 200 },
          kind: {
            type: 'string', enum: ['band_drop', 'rank_drop', 'below_threshold', 'below_target', 'deadline_missed', 'source_stale'],
            description: 'below_target: an indicator strictly below the target that applies to each unit (docs/targets.md); stored as below_threshold with params.compare "target".'
          },
          scopeCode: { type: 'string', description: 'A unit code: the unit and its subtree; left out: everywhere.' },
          periodKind: { type: 'string', description: 'The ranking kinds: the period kind compared (month, report_month …).' },
          places: { type: 'integer', minimum: 1, description: 'rank_drop: fewest places fallen.' },
          indicator: { type: 'string', description: 'below_threshold: an indicator key; left out: the total. below_target: an indicator key; left out: every indicator that has a target.' },
          threshold: { type: 'number', minimum: 0, maximum: 100, description: 'below_threshold (compare threshold): % for an indicator, points for the total. Not used by below_target.' },
          compare: { type: 'string', enum: ['threshold', 'target'], default: 'threshold', description: 'below_threshold: compared with `threshold`, or with the targets (the same as kind below_target).' },
          sourceKey: { type: 'string', description: 'Source kinds: one source; left out: every source in scope.' },
          roles: { type: 'array', items: { type: 'string', enum: ['admin', 'leader', 'officer'] } },
          usernames: { type: 'array', items: { type: 'string' } },
          emails: { type: 'array', items: { type: 'string', format: 'email' } },
          inApp: { type: 'boolean' }, email: { type: 'boolean' },
          webhookUrl: { type: 'string', format: 'uri' }, webhookSecret: { type: 'string', minLength: 16, writeOnly: true },
          digest: { type: 'boolean' }, digestAt: { type: 'string', pattern: '^\\d{2}:\\d{2}$', example: '08:00' },
          quietFrom: { type: 'string', example: '22:00' }, quietTo: { type: 'string', example: '06:30' }
        }
      },
      AlertRule: { type: 'object', required: ['id', 'name', 'kind', 'enabled'], properties: { id: { type: 'integer' }, name: { type: 'string' }, kind: { type: 'string' }, enabled: { type: 'boolean' } }, additionalProperties: true },
      Source: source,
      SourceHealth: sourceHealth,
      TestReport: testReport,
      JobStatus: jobStatus,
      JobQueued: jobQueued,
      UnitsImportResult: unitsImportResult,
      UnitsImportRefused: {
        type: 'object', required: ['error', 'fields', 'problems'],
        properties: {
          error: { type: 'string' },
          fields: { type: 'object', additionalProperties: { type: 'string' }, description: 'The first problem of each field (register, merges, effectiveFrom).' },
          problems: { type: 'array', items: unitsImportProblem }
        }
      },
      BackfillRequest: {
        type: 'object', required: ['from', 'to'],
        properties: { from: { type: 'string', format: 'date', example: '2025-10-01' }, to: { type: 'string', format: 'date', example: '2026-11-04' } }
      },
      BackfillQueued: {
        type: 'object', required: ['jobId', 'windows', 'status'],
        properties: { jobId: { type: 'string', format: 'uuid' }, windows: { type: 'integer', description: 'How many windows the range is cut into.' }, status: { type: 'string' } }
      }
    } as Record<string, unknown>
  }
};

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
