import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';
import { realtimeDevPlugin } from './src/lib/server/realtime/vite-plugin.ts';

export default defineConfig({
  plugins: [sveltekit(), realtimeDevPlugin()],
  server: { port: 3000 },
  test: {
    // The simulator listens on loopback; data sources may only reach private addresses that are allowed.
    env: { SOURCE_ALLOWED_HOSTS: '127.0.0.1,localhost' },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'workers/**/*.test.ts', 'db/**/*.test.ts'],
          environment: 'node'
        }
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/support/global-db.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false
        }
      }
    ]
  }
});
