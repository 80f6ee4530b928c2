import { defineConfig } from 'vitest/config';

/**
 * One runner for the whole repo (Vitest): TypeScript without a build step, workspace projects, and
 * a global setup that starts the real servers once per run.
 *  - unit: specs beside the code (`*.spec.ts`), no servers.
 *  - integration: broker/DB-backed specs (`*.int.spec.ts`) and cross-service suites in test/.
 */
export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['libs/*/src/**/*.spec.ts', 'services/*/src/**/*.spec.ts', 'simulators/src/**/*.spec.ts'],
          exclude: ['**/*.int.spec.ts', '**/node_modules/**'],
          testTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['libs/*/src/**/*.int.spec.ts', 'services/*/src/**/*.int.spec.ts', 'simulators/src/**/*.int.spec.ts', 'test/**/*.test.ts'],
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
          // The servers are shared and the machine has two cores: run suites one after another.
          fileParallelism: false,
        },
      },
    ],
  },
});
