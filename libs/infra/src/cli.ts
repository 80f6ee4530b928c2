/**
 * npm run infra -- up|down|status [--json]
 *
 * Starts Kafka (KRaft), Apicurio Registry and ClickHouse on loopback from Maven Central and Debian
 * packages, without Docker. Where a Docker engine exists, `docker compose up` is the alternative.
 */
import { type ComponentReport, down, status, up } from './stack';

function table(reports: ComponentReport[]): string {
  const rows = reports.map((r) =>
    [
      r.name.padEnd(11),
      r.state.padEnd(8),
      String(r.pid ?? '-').padEnd(8),
      (r.rssMiB !== undefined ? `${r.rssMiB} MiB` : '-').padEnd(9),
      r.startMs !== undefined ? `start ${(r.startMs / 1000).toFixed(1)} s` : '',
      r.provisionMs !== undefined ? `provision ${(r.provisionMs / 1000).toFixed(1)} s${r.downloaded ? ' (downloaded)' : ' (cached)'}` : '',
      r.endpoint,
    ].join('  '),
  );
  return ['server       state     pid       rss        details', ...rows].join('\n');
}

async function main(): Promise<void> {
  const [command = 'status', ...flags] = process.argv.slice(2);
  const actions: Record<string, () => Promise<ComponentReport[]>> = { up, down, status };
  const action = actions[command];
  if (!action) {
    console.error(`unknown command "${command}"; usage: npm run infra -- up|down|status [--json]`);
    process.exit(2);
  }
  const reports = await action();
  console.log(flags.includes('--json') ? JSON.stringify(reports, null, 2) : table(reports));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
