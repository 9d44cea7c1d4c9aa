/** The demo systems' credentials. Demo only: the seed stores them sealed in data_sources. */
export const DEMO_KEYS = {
  dossier: 'demo-motcua-2026'
} as const;
