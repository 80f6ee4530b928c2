import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

/** Specs beside the code (stores, data shaping); no browser: the e2e suite in test/web drives a real Chromium. */
export default defineConfig({
  plugins: [vue()],
  root: import.meta.dirname,
  test: { name: 'web', include: ['src/**/*.spec.ts'], environment: 'node' },
});
