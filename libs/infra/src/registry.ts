import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerComponent } from './component';
import { downloadVerified } from './download';
import { httpOk } from './health';
import { findJava } from './java';
import { APICURIO_MIN_JAVA, APICURIO_VERSION, type LocalPorts, MAVEN_CENTRAL } from './versions';

/**
 * Apicurio Registry 3.x (Quarkus fast-jar distribution from Maven Central). Clients use its Confluent
 * compatible API at /apis/ccompat/v7. Storage is an H2 file under .infra/ so schema ids survive restarts
 * (ids are embedded in every Kafka message; losing them would make retained messages undecodable).
 */
export function registryComponent(cacheDir: string, stateDir: string, ports: LocalPorts): ServerComponent {
  const archiveName = `apicurio-registry-app-${APICURIO_VERSION}-all.tar.gz`;
  const archive = join(cacheDir, 'downloads', archiveName);
  const home = join(cacheDir, `apicurio-registry-${APICURIO_VERSION}`);
  const dir = join(stateDir, 'registry');
  const proc = { name: 'registry', pidFile: join(dir, 'registry.pid'), logFile: join(dir, 'registry.log') };
  const url = `http://127.0.0.1:${ports.registry}/apis/ccompat/v7`;

  return {
    name: 'registry',
    proc,
    endpoint: url,
    async provision() {
      const marker = join(home, '.complete');
      if (existsSync(marker)) return { cached: true };
      const artifact = `${MAVEN_CENTRAL}/io/apicurio/apicurio-registry-app/${APICURIO_VERSION}/${archiveName}`;
      const { cached } = await downloadVerified(artifact, archive);
      mkdirSync(home, { recursive: true });
      execFileSync('tar', ['xzf', archive, '-C', home]);
      writeFileSync(marker, new Date().toISOString());
      return { cached };
    },
    prepare() {
      mkdirSync(join(dir, 'db'), { recursive: true });
      return {
        command: findJava(APICURIO_MIN_JAVA),
        // Serial GC and C1-only keep the idle footprint small on 2-core machines; the registry is not hot.
        args: ['-Xmx384m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-jar', join(home, 'quarkus-run.jar')],
        cwd: home,
        env: {
          QUARKUS_HTTP_HOST: '127.0.0.1',
          QUARKUS_HTTP_PORT: String(ports.registry),
          // Its management interface (health, metrics) defaults to 0.0.0.0:9000, ClickHouse's native port.
          QUARKUS_MANAGEMENT_HOST: '127.0.0.1',
          QUARKUS_MANAGEMENT_PORT: String(ports.registryManagement),
          APICURIO_STORAGE_KIND: 'sql',
          APICURIO_STORAGE_SQL_KIND: 'h2',
          APICURIO_DATASOURCE_URL: `jdbc:h2:file:${join(dir, 'db', 'registry')}`,
          APICURIO_DATASOURCE_USERNAME: 'sa',
          APICURIO_DATASOURCE_PASSWORD: 'sa',
        },
      };
    },
    healthy: () => httpOk(`${url}/subjects`),
  };
}
