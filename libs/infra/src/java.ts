import { processEnv } from '@vigil/config';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Major version of a JDK home, read from its `release` file (cheap, no JVM start). */
function majorOf(javaHome: string): number | undefined {
  const release = join(javaHome, 'release');
  if (!existsSync(release)) return undefined;
  const m = /JAVA_VERSION="(\d+)/.exec(readFileSync(release, 'utf8'));
  return m?.[1] === undefined ? undefined : Number(m[1]);
}

/**
 * Find a `java` binary of at least `minMajor`: VIGIL_JAVA_HOME, then JAVA_HOME, then every JDK under
 * /usr/lib/jvm (Debian's and Temurin's location), newest first, then `java` on PATH.
 */
export function findJava(minMajor: number, env: NodeJS.ProcessEnv = processEnv()): string {
  const homes = [env.VIGIL_JAVA_HOME, env.JAVA_HOME].filter((h): h is string => !!h);
  if (existsSync('/usr/lib/jvm')) {
    const found = readdirSync('/usr/lib/jvm')
      .map((d) => join('/usr/lib/jvm', d))
      .map((home) => ({ home, major: majorOf(home) ?? 0 }))
      .sort((a, b) => b.major - a.major)
      .map((j) => j.home);
    homes.push(...found);
  }
  for (const home of homes) {
    const major = majorOf(home);
    const bin = join(home, 'bin', 'java');
    if (major !== undefined && major >= minMajor && existsSync(bin)) return bin;
  }
  try {
    const out = execFileSync('java', ['-version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const m = /version "(\d+)/.exec(out);
    if (m?.[1] !== undefined && Number(m[1]) >= minMajor) return 'java';
  } catch {
    /* fall through to the error below */
  }
  throw new Error(
    `no Java ${minMajor}+ found (looked at VIGIL_JAVA_HOME, JAVA_HOME, /usr/lib/jvm/*, PATH); ` +
      `install one (e.g. a Temurin ${minMajor}+ JDK) and set VIGIL_JAVA_HOME`,
  );
}
