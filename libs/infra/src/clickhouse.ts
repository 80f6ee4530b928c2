import { processEnv } from '@vigil/config';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerComponent } from './component';
import { httpOk } from './health';
import type { LocalPorts } from './versions';

/**
 * ClickHouse server from the Debian package (18.16 on Debian 12), run as a plain user process with a
 * config of ours: no system service, data under .infra/. Our SQL must work on this old server and on a
 * current one, so migrations avoid DateTime64, TTL, query parameters and toStartOfInterval.
 */
export function clickhouseComponent(stateDir: string, ports: LocalPorts): ServerComponent {
  const dir = join(stateDir, 'clickhouse');
  const proc = { name: 'clickhouse', pidFile: join(dir, 'clickhouse.pid'), logFile: join(dir, 'stdout.log') };
  const url = `http://127.0.0.1:${ports.clickhouseHttp}`;

  return {
    name: 'clickhouse',
    proc,
    endpoint: url,
    async provision() {
      if (serverBinary() !== undefined) return { cached: true };
      if (process.getuid?.() !== 0) {
        throw new Error('clickhouse-server is not installed; run: sudo apt-get install -y clickhouse-server clickhouse-client');
      }
      execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
      execFileSync('apt-get', ['install', '-y', '-qq', 'clickhouse-server', 'clickhouse-client'], {
        stdio: 'inherit',
        env: { ...processEnv(), DEBIAN_FRONTEND: 'noninteractive' },
      });
      if (serverBinary() === undefined) throw new Error('apt-get finished but clickhouse-server is still missing');
      return { cached: false };
    },
    prepare() {
      for (const sub of ['data', 'tmp', 'log']) mkdirSync(join(dir, sub), { recursive: true });
      writeFileSync(join(dir, 'config.xml'), serverConfig(dir, ports));
      writeFileSync(join(dir, 'users.xml'), USERS_XML);
      return { command: serverBinary() ?? 'clickhouse-server', args: [`--config-file=${join(dir, 'config.xml')}`] };
    },
    healthy: () => httpOk(`${url}/ping`, 'Ok.'),
  };
}

function serverBinary(): string | undefined {
  for (const candidate of ['clickhouse-server', 'clickhouse']) {
    try {
      return execFileSync('sh', ['-c', `command -v ${candidate}`], { encoding: 'utf8' }).trim() || undefined;
    } catch {
      /* try next */
    }
  }
  return undefined;
}

function serverConfig(dir: string, ports: LocalPorts): string {
  // <yandex> is the root element 18.x requires; current releases still accept it.
  return `<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>${dir}/log/server.log</log><errorlog>${dir}/log/error.log</errorlog><size>20M</size><count>2</count></logger>
  <http_port>${ports.clickhouseHttp}</http_port>
  <tcp_port>${ports.clickhouseTcp}</tcp_port>
  <listen_host>127.0.0.1</listen_host>
  <path>${dir}/data/</path>
  <tmp_path>${dir}/tmp/</tmp_path>
  <user_files_path>${dir}/data/user_files/</user_files_path>
  <format_schema_path>${dir}/data/format_schemas/</format_schema_path>
  <mark_cache_size>268435456</mark_cache_size>
  <max_concurrent_queries>100</max_concurrent_queries>
  <users_config>users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
</yandex>
`;
}

const USERS_XML = `<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>4000000000</max_memory_usage></default></profiles>
  <users><default><password></password><networks><ip>::1</ip><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default></users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
`;
