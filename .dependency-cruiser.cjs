/**
 * The layering rules (docs/ARCHITECTURE.md), checked by `npm run lint:layers` in `npm run test:all`.
 * libs/testing/src/layering.spec.ts proves each rule bites on a deliberately wrong import
 * (fixtures/layering/ folders of the libs), which the normal run excludes.
 */
const PURE_CORE = '^libs/(detection|ml|features|datasets|drift|vision)/';
const ADAPTERS = '(@nestjs|kafkajs|@kafkajs|@clickhouse|socket[.]io|express|pino|prom-client)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'pure-core-imports-no-adapters',
      comment:
        'Models, thresholds, drift statistics, alignment and features run in a plain process: no Nest, Kafka, ClickHouse, sockets, logging or metrics clients.',
      severity: 'error',
      from: { path: PURE_CORE },
      to: { path: `node_modules/${ADAPTERS}/` },
    },
    {
      name: 'pure-core-imports-no-plumbing',
      comment: 'The pure core does not reach into the Kafka/ClickHouse/service plumbing libs either.',
      severity: 'error',
      from: { path: PURE_CORE, pathNot: '[.]int[.]spec[.]ts$' },
      to: { path: '^libs/(kafka|clickhouse|service|infra|testing)/' },
    },
    {
      name: 'libs-import-no-services',
      comment: 'Libraries never depend on a service.',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^services/' },
    },
    {
      name: 'services-import-no-other-service',
      comment: 'A service shares code through libs/, never by importing another service’s files.',
      severity: 'error',
      from: { path: '^services/([^/]+)/' },
      to: { path: '^services/', pathNot: '^services/$1/' },
    },
    {
      name: 'simulators-import-no-nest',
      comment: 'The simulators run without Nest (they use the main @vigil/kafka entry, not @vigil/kafka/nest).',
      severity: 'error',
      from: { path: '^simulators/' },
      to: { path: 'node_modules/@nestjs/' },
    },
    {
      name: 'workspaces-by-package-name',
      comment: 'Another workspace is imported by its package name (@vigil/x), never by a relative path into its files.',
      severity: 'error',
      from: { path: '^(libs/[^/]+|services/[^/]+|simulators|dashboards/[^/]+)/' },
      to: { path: '^(libs/[^/]+|services/[^/]+|simulators|dashboards/[^/]+|test)/', pathNot: '^$1/', dependencyTypes: ['local'] },
    },
    {
      name: 'declared-dependencies',
      comment: 'Each workspace declares what it imports in its own package.json (no resolution through hoisting).',
      severity: 'error',
      from: { path: '^(libs|services|simulators|dashboards)/', pathNot: '[.](spec|test)[.]ts$|/(bench|eval|scripts)/' },
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|coverage|[.]infra)/|/fixtures/layering/|libs/contracts/src/generated/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    combinedDependencies: false,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], mainFields: ['main', 'types'] },
  },
};
