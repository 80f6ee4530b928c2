/**
 * The layering check bites: each deliberately wrong import in libs/detection/fixtures/layering is reported
 * under its rule by the same dependency-cruiser configuration `npm run lint:layers` uses (which excludes that
 * folder), and the rules' own tree passes (the lint step in test:all runs it on the whole tree).
 */
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '..', '..', '..');
const FIXTURES = 'libs/detection/fixtures/layering';

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
}

async function cruiseFixtures(): Promise<Violation[]> {
  const { cruise } = (await import('dependency-cruiser')) as unknown as {
    cruise: (files: string[], options: object) => Promise<{ output: { summary: { violations: Violation[] } } }>;
  };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const config = require(join(ROOT, '.dependency-cruiser.cjs')) as { forbidden: object[]; options: Record<string, unknown> };
  const cwd = process.cwd();
  process.chdir(ROOT);
  try {
    const result = await cruise([FIXTURES], {
      ...config.options,
      ruleSet: { forbidden: config.forbidden },
      exclude: { path: '(^|/)(dist|coverage)/' },
      validate: true,
    });
    return result.output.summary.violations;
  } finally {
    process.chdir(cwd);
  }
}

describe('layering rules (.dependency-cruiser.cjs)', () => {
  it('report every deliberately wrong import under its rule', async () => {
    const violations = await cruiseFixtures();
    const byFile = (file: string) => violations.filter((v) => v.from === `${FIXTURES}/${file}`).map((v) => v.rule.name);
    expect(byFile('imports-nest.ts')).toContain('pure-core-imports-no-adapters');
    expect(byFile('imports-plumbing.ts')).toContain('pure-core-imports-no-plumbing');
    expect(byFile('imports-service.ts')).toContain('libs-import-no-services');
    expect(byFile('imports-relative.ts')).toContain('workspaces-by-package-name');
    expect(byFile('imports-undeclared.ts')).toContain('declared-dependencies');
  }, 60_000);
});
