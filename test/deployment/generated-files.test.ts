/**
 * The generated observability files: up to date with dashboards/grafana (like `codegen --check`), the alert rules
 * accepted by `promtool check rules`, and the Grafana dashboards valid beyond what the SDK's types promise: the
 * shape Grafana's file provisioning loads, panels inside the 24-column grid, every query on our data source,
 * which the provisioned data source defines.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { generatedFiles } from '../../dashboards/grafana/scripts/build';
import { ALERT_RULES, allDashboards, PROMETHEUS_DATASOURCE } from '../../dashboards/grafana/src';
import { ROOT } from './service-inventory';

const datasource = z.object({ type: z.literal(PROMETHEUS_DATASOURCE.type), uid: z.literal(PROMETHEUS_DATASOURCE.uid) });
const gridPos = z
  .object({ x: z.number().int().min(0), y: z.number().int().min(0), w: z.number().int().min(1).max(24), h: z.number().int().min(1) })
  .refine((g) => g.x + g.w <= 24, 'panel runs past the 24-column grid');
const row = z.object({ type: z.literal('row'), title: z.string().min(1), gridPos, panels: z.array(z.unknown()) });
const panel = z.object({
  type: z.enum(['timeseries', 'stat']),
  title: z.string().min(1),
  gridPos,
  datasource,
  fieldConfig: z.object({ defaults: z.object({ unit: z.string().min(1) }) }),
  targets: z.array(z.object({ datasource, expr: z.string().min(1), refId: z.string().regex(/^[A-Z]$/) })).min(1),
});
const dashboardFile = z.object({
  uid: z.string().regex(/^[\w-]{1,40}$/),
  title: z.string().min(1),
  schemaVersion: z.number().int().min(39),
  tags: z.array(z.string()),
  time: z.object({ from: z.string(), to: z.string() }),
  panels: z.array(z.union([row, panel])).min(1),
});

describe('generated observability files', () => {
  it('are up to date with dashboards/grafana (npm run dashboards:build)', () => {
    for (const [path, text] of Object.entries(generatedFiles())) expect(readFileSync(join(ROOT, path), 'utf8'), path).toBe(text);
  });

  it('promtool check rules accepts the alert rules', () => {
    const out = execFileSync('promtool', ['check', 'rules', join(ROOT, 'deploy', 'prometheus', 'rules', 'vigil.rules.yml')], { encoding: 'utf8' });
    expect(out).toContain(`SUCCESS: ${ALERT_RULES.length} rules found`);
  });

  it('promtool check config accepts the compose Prometheus configuration', () => {
    // The compose file mounts the rules at /etc/prometheus/rules: point a copy at the repo's rules folder.
    const dir = mkdtempSync(join(tmpdir(), 'vigil-promtool-'));
    const config = readFileSync(join(ROOT, 'deploy', 'prometheus', 'prometheus.yml'), 'utf8').replace(
      '/etc/prometheus/rules/',
      `${join(ROOT, 'deploy', 'prometheus', 'rules')}/`,
    );
    writeFileSync(join(dir, 'prometheus.yml'), config);
    const out = execFileSync('promtool', ['check', 'config', join(dir, 'prometheus.yml')], { encoding: 'utf8' });
    expect(out).toContain('is valid prometheus config file syntax');
    expect(out).toContain(`SUCCESS: ${ALERT_RULES.length} rules found`);
  });

  it('the Grafana dashboards pass the schema check, on the provisioned data source', () => {
    const provisioned = parse(readFileSync(join(ROOT, 'deploy', 'grafana', 'provisioning', 'datasources', 'prometheus.yml'), 'utf8')) as {
      datasources: { uid: string; type: string }[];
    };
    expect(provisioned.datasources).toContainEqual(expect.objectContaining(PROMETHEUS_DATASOURCE));
    const uids = new Set<string>();
    for (const name of Object.keys(allDashboards())) {
      const json = JSON.parse(readFileSync(join(ROOT, 'deploy', 'grafana', 'dashboards', `${name}.json`), 'utf8')) as unknown;
      const result = dashboardFile.safeParse(json);
      expect(result.success ? [] : result.error.issues, name).toEqual([]);
      uids.add(result.data!.uid);
    }
    expect(uids.size).toBe(Object.keys(allDashboards()).length);
  });

  it('the schema check rejects a panel off our data source (the check can fail)', () => {
    const board = JSON.parse(JSON.stringify(allDashboards()['detector-pipeline'])) as { panels: { datasource?: unknown }[] };
    board.panels[1]!.datasource = { type: 'prometheus', uid: 'someone-elses' };
    expect(dashboardFile.safeParse(board).success).toBe(false);
  });
});
