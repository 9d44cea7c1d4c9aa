import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  compilerOptions: { runes: true },
  kit: {
    // The custom server (src/server.js) serves the build. SvelteKit's CSRF origin check stays on (default).
    adapter: adapter({ out: 'build' })
  }
};

export default config;
