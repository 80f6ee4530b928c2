/**
 * Writes the generated observability files; `--check` fails (exit 1) when the committed ones differ, like
 * `npm run codegen -- --check`.
 *
 *   npx tsx dashboards/grafana/scripts/build.ts [--check]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { allDashboards, alertRulesYaml, composePrometheusYaml } from '../src';

const ROOT = resolve(__dirname, '..', '..', '..');

export function generatedFiles(): Record<string, string> {
  const files: Record<string, string> = {
    'deploy/prometheus/rules/vigil.rules.yml': alertRulesYaml(),
    'deploy/prometheus/prometheus.yml': composePrometheusYaml(),
  };
  for (const [name, board] of Object.entries(allDashboards())) files[`deploy/grafana/dashboards/${name}.json`] = `${JSON.stringify(board, null, 2)}\n`;
  return files;
}

function main(check: boolean): number {
  const stale: string[] = [];
  for (const [path, text] of Object.entries(generatedFiles())) {
    const target = join(ROOT, path);
    const current = (() => {
      try {
        return readFileSync(target, 'utf8');
      } catch {
        return undefined;
      }
    })();
    if (current === text) continue;
    if (check) stale.push(path);
    else {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, text);
      console.log(`wrote ${path}`);
    }
  }
  if (stale.length > 0) console.error(`out of date (run npm run dashboards:build): ${stale.join(', ')}`);
  return stale.length > 0 ? 1 : 0;
}

if (require.main === module) process.exit(main(process.argv.includes('--check')));
