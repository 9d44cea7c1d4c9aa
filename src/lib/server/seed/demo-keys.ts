/** The demo systems' credentials. Demo only: the seed stores them sealed in data_sources. */

/** Widened (not `typeof DEMO_KEYS`) so that a test can pass other credentials than the literals. */
export interface DemoKeys {
  /** One-stop shop: header x-api-key. */
  dossier: string;
  /** VNeID statistics: HTTP Basic. */
  eid: { username: string; password: string };
  /** Welfare payments: Authorization: Bearer <token>. */
  payment: string;
  /** Task tracker: header x-auth-token. */
  task: string;
  /** The police's older statistics API (v1), which the seed does not configure: header x-vneid-key. */
  eidLegacy: string;
  /** The fifth vendor, a one-stop-shop reporting system (POST, JSON body), which the seed does not configure: HTTP Basic. */
  motCua: { username: string; password: string };
}

export const DEMO_KEYS = {
  dossier: 'demo-motcua-2026',
  eid: { username: 'cityops', password: 'demo-vneid-2026' },
  payment: 'demo-ansinh-token-2026',
  task: 'demo-qlvb-2026',
  eidLegacy: 'demo-vneid-v1-2026',
  motCua: { username: 'motcua5', password: 'demo-motcua5-2026' }
} as const satisfies DemoKeys;
