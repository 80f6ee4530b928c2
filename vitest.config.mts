import { defineConfig } from 'vitest/config';

/** Line and branch coverage floors (percent) for `vitest run --coverage`. */
const COVERAGE_FLOOR = { lines: 80, branches: 68 };

/**
 * One runner for the whole repo (Vitest): TypeScript without a build step, workspace projects, and
 * a global setup that starts the real servers once per run.
 *  - unit: specs beside the code (`*.spec.ts`), no servers.
 *  - integration: broker/DB-backed specs (`*.int.spec.ts`) and cross-service suites in test/.
 */
export default defineConfig({
  test: {
    // `npm run test:all` runs with --coverage: line and branch coverage of the code (not specs, benches or
    // scripts), printed as a summary and failing below the floors, which are set a little under the figures
    // measured when they were last raised (README: Tests).
    coverage: {
      provider: 'v8',
      include: ['libs/*/src/**/*.ts', 'services/*/src/**/*.ts', 'simulators/src/**/*.ts', 'dashboards/*/src/**/*.ts'],
      exclude: ['**/*.spec.ts', '**/*.int.spec.ts', '**/generated/**', '**/*.d.ts'],
      reporter: ['text-summary', 'json-summary'],
      reportsDirectory: 'coverage',
      thresholds: { lines: COVERAGE_FLOOR.lines, branches: COVERAGE_FLOOR.branches },
    },
    projects: [
      // The Vue app's specs (stores, chart data shaping) run with its own config (Vue plugin, browser tsconfig).
      'dashboards/web/vitest.config.mts',
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['libs/*/src/**/*.spec.ts', 'services/*/src/**/*.spec.ts', 'simulators/src/**/*.spec.ts', 'dashboards/grafana/src/**/*.spec.ts'],
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
