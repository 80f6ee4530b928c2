/**
 * Provisions `@tensorflow/tfjs-node` (and `@tensorflow/tfjs-node-gpu` where CUDA is present) on real TensorFlow
 * without the package's own install script, which downloads libtensorflow from a host our machines cannot reach
 * (root package.json `allowScripts` denies it, so `npm ci` never runs it).
 *
 * Steps per package, each skipped when already done (a second run takes well under a second):
 *  1. the pinned TensorFlow wheel from PyPI → libtensorflow in ~/.cache/vigil (see tensorflow-wheel.ts);
 *  2. `<package>/deps/{lib,include}` pointed at it (the layout tfjs-node's binding.gyp links against);
 *  3. the N-API addon built from source with node-pre-gyp + node-gyp against the running Node's own headers
 *     (`--nodedir`, so node-gyp downloads nothing);
 *  4. a load check in a child process, then a stamp recording what was built.
 *
 * GPU: runs only with `--gpu` or when `nvidia-smi` exists. TF 2.14 needs CUDA 11.8 and cuDNN 8.6 on the loader
 * path at run time; without them the runtime switch falls back to tfjs-node on CPU.
 *
 * @example
 *   npx tsx libs/ml/scripts/provision-tfjs-node.ts          # cpu (and gpu when nvidia-smi is found)
 *   npx tsx libs/ml/scripts/provision-tfjs-node.ts --gpu    # force the GPU package too
 */
import { processEnv } from '@vigil/config';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ensureLibtensorflow, type Log, TENSORFLOW_WHEELS, type TensorflowWheel } from './tensorflow-wheel';

interface AddonTarget {
  packageName: '@tensorflow/tfjs-node' | '@tensorflow/tfjs-node-gpu';
  wheel: TensorflowWheel;
}

const TARGETS = {
  cpu: { packageName: '@tensorflow/tfjs-node', wheel: TENSORFLOW_WHEELS.cpu },
  gpu: { packageName: '@tensorflow/tfjs-node-gpu', wheel: TENSORFLOW_WHEELS.gpu },
} as const satisfies Record<string, AddonTarget>;

/** Same rule as libs/infra's paths: clones on one machine share the download cache. */
function cacheDir(env: NodeJS.ProcessEnv = processEnv()): string {
  return resolve(env.VIGIL_CACHE_DIR ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'vigil'));
}

interface Stamp {
  packageVersion: string;
  wheel: string;
  wheelSha256: string;
  node: string;
}

export async function provision(target: AddonTarget, log: Log): Promise<'already provisioned' | 'built'> {
  const packageDir = dirname(require.resolve(`${target.packageName}/package.json`));
  const packageVersion = (JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string }).version;
  const stampPath = join(packageDir, 'deps', '.vigil-provisioned.json');
  const wanted: Stamp = { packageVersion, wheel: target.wheel.fileName, wheelSha256: target.wheel.sha256, node: process.versions.modules };
  if (isProvisioned(packageDir, stampPath, wanted)) return 'already provisioned';

  const started = Date.now();
  const home = await ensureLibtensorflow(target.wheel, cacheDir(), log);
  log(`libtensorflow ${target.wheel.version} (${home.action}) at ${dirname(home.lib)}`);
  linkDeps(packageDir, home);
  buildAddon(packageDir, log);
  verifyLoads(target.packageName);
  writeFileSync(stampPath, `${JSON.stringify(wanted, null, 2)}\n`);
  log(`${target.packageName} built against TensorFlow ${target.wheel.version} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return 'built';
}

function isProvisioned(packageDir: string, stampPath: string, wanted: Stamp): boolean {
  if (!existsSync(stampPath)) return false;
  const stamp = JSON.parse(readFileSync(stampPath, 'utf8')) as Stamp;
  const sameBuild = (Object.keys(wanted) as (keyof Stamp)[]).every((key) => stamp[key] === wanted[key]);
  // existsSync follows the symlinks, so a wiped cache shows up here as a missing library.
  return sameBuild && existsSync(addonPath(packageDir)) && existsSync(join(packageDir, 'deps', 'lib', 'libtensorflow_cc.so.2'));
}

/** node-pre-gyp's module_path for Node ≥ 18 (N-API 9): the highest napi_version tfjs-node lists, 8. */
function addonPath(packageDir: string): string {
  return join(packageDir, 'lib', 'napi-v8', 'tfjs_binding.node');
}

/**
 * binding.gyp links `-ltensorflow -ltensorflow_framework` from deps/lib with rpath `$ORIGIN/../../deps/lib`.
 * The linker records the SONAMEs (libtensorflow_cc.so.2, libtensorflow_framework.so.2), so those names must
 * resolve there at run time; the unversioned names only serve the link step. Symlinks, not copies: the
 * libraries are ~600 MB and identical for every clone.
 */
function linkDeps(packageDir: string, home: { lib: string; include: string }): void {
  const deps = join(packageDir, 'deps');
  rmSync(deps, { recursive: true, force: true });
  mkdirSync(join(deps, 'lib'), { recursive: true });
  const links: [string, string][] = [
    ['libtensorflow_cc.so.2', join(home.lib, 'libtensorflow_cc.so.2')],
    ['libtensorflow.so', join(home.lib, 'libtensorflow_cc.so.2')],
    ['libtensorflow_framework.so.2', join(home.lib, 'libtensorflow_framework.so.2')],
    ['libtensorflow_framework.so', join(home.lib, 'libtensorflow_framework.so.2')],
  ];
  for (const [name, targetPath] of links) symlinkSync(targetPath, join(deps, 'lib', name));
  symlinkSync(home.include, join(deps, 'include'));
}

function buildAddon(packageDir: string, log: Log): void {
  const nodeDir = resolve(dirname(process.execPath), '..');
  if (!existsSync(join(nodeDir, 'include', 'node', 'node_api.h'))) {
    throw new Error(`Node headers not found under ${nodeDir}/include/node; install a Node build that ships them`);
  }
  const nodePreGyp = require.resolve('@mapbox/node-pre-gyp/bin/node-pre-gyp', { paths: [packageDir] });
  log(`building ${packageDir}/binding with node-gyp against ${nodeDir}/include/node`);
  rmSync(join(packageDir, 'build'), { recursive: true, force: true });
  execFileSync(process.execPath, [nodePreGyp, 'install', '--build-from-source', `--nodedir=${nodeDir}`, '--loglevel=warn'], {
    cwd: packageDir,
    stdio: 'inherit',
    env: { ...processEnv(), JOBS: '2' },
  });
}

/** Load in a child so a broken library cannot take this process down, and so its error text is shown. */
function verifyLoads(packageName: string): void {
  const probe = `const tf = require(${JSON.stringify(packageName)}); if (tf.getBackend() !== 'tensorflow') throw new Error('backend ' + tf.getBackend());`;
  execFileSync(process.execPath, ['-e', probe], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...processEnv(), TF_CPP_MIN_LOG_LEVEL: '2' } });
}

function hasNvidiaDriver(): boolean {
  try {
    execFileSync('nvidia-smi', ['-L'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  const log: Log = (line) => console.log(`[ml-runtime] ${line}`);
  const targets: AddonTarget[] = [TARGETS.cpu];
  if (process.argv.includes('--gpu') || hasNvidiaDriver()) targets.push(TARGETS.gpu);
  for (const target of targets) {
    const outcome = await provision(target, log);
    log(`${target.packageName}: ${outcome}`);
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(`[ml-runtime] provisioning failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
