import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { realtimeDevPlugin } from './src/lib/server/realtime/vite-plugin.ts';

export default defineConfig({
  plugins: [
    // Compiles project.inlang + src/lib/i18n/messages into src/lib/paraglide (gitignored) at every
    // dev start, build and Vitest run. The language comes from a cookie, else Vietnamese; no URL
    // prefixes (every URL stays as it is). The wall display stays Vietnamese whatever the cookie says.
    paraglideVitePlugin({
      project: './project.inlang',
      outdir: './src/lib/paraglide',
      strategy: ['cookie', 'baseLocale'],
      cookieName: 'cityops_locale',
      routeStrategies: [{ match: '/wall/:path(.*)?', strategy: ['baseLocale'] }],
      // The same output in dev, Vitest and the build (the default differs by NODE_ENV), so one
      // does not rewrite the whole folder under another running at the same time.
      outputStructure: 'message-modules'
    }),
    sveltekit(),
    realtimeDevPlugin()
  ],
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
