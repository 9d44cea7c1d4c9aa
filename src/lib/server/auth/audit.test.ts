import { describe, expect, it } from 'vitest';
import { maskSecrets } from './audit.ts';

describe('maskSecrets', () => {
  it('masks secret-looking fields at any depth and keeps the rest', () => {
    expect(maskSecrets({ name: 'a', password: 'x', nested: { apiKey: 'k', token: 't', list: [{ credentials: 'c', ok: 1 }] }, passwordHash: null })).toEqual({
      name: 'a', password: '•••', nested: { apiKey: '•••', token: '•••', list: [{ credentials: '•••', ok: 1 }] }, passwordHash: null
    });
  });
});
