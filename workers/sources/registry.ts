import { dossierAdapter } from './dossiers/map.ts';
import type { SourceAdapter } from './types.ts';

const adapters = new Map<string, SourceAdapter>([[dossierAdapter.kind, dossierAdapter]]);

export function adapterFor(kind: string): SourceAdapter {
  const adapter = adapters.get(kind);
  if (!adapter) throw new Error(`no adapter for source kind "${kind}"`);
  return adapter;
}
