/**
 * The TensorFlow C library, taken from a pinned TensorFlow wheel on PyPI (the same source TensorFlow Java's own
 * build uses), because tfjs-node's installer downloads libtensorflow from storage.googleapis.com, which our
 * machines cannot reach. The wheel carries `libtensorflow_cc.so.2` (which exports the C and eager C APIs that
 * tfjs-node calls), `libtensorflow_framework.so.2` and the C headers under `tensorflow/include`.
 *
 * Downloads go through pip (the registry's own client) into `~/.cache/vigil/pypi`, are checked against the
 * pinned SHA-256, and only the few members the addon needs are unpacked into `~/.cache/vigil/libtensorflow-*`.
 *
 * @example
 *   const home = await ensureLibtensorflow(TENSORFLOW_WHEELS.cpu, cacheDir, log); // { lib, include }
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TensorflowWheel {
  /** PyPI project name. */
  project: string;
  version: string;
  /** Exact file pip must fetch: pinned so the hash below means something on every machine. */
  fileName: string;
  sha256: string;
}

/**
 * TF 2.14 is the release TensorFlow Java 1.0 builds on; its C API is a superset of the 2.9.1 API tfjs-node 4.22
 * was written against. `tensorflow` (not `-cpu`) is the Linux build with CUDA kernels, for tfjs-node-gpu.
 */
export const TENSORFLOW_WHEELS = {
  cpu: {
    project: 'tensorflow-cpu',
    version: '2.14.1',
    fileName: 'tensorflow_cpu-2.14.1-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl',
    sha256: '7f9d705b4d57acc5835de9d926515a70535e3a178a89ad59f0d380503b69f705',
  },
  gpu: {
    project: 'tensorflow',
    version: '2.14.1',
    fileName: 'tensorflow-2.14.1-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl',
    sha256: 'c9aa05a98450fa5bc4efd529383b7d15c10ec12b0238a6744baa1508c4bfa4d5',
  },
} as const satisfies Record<string, TensorflowWheel>;

/** Wheel members the addon build and runtime need: the two libraries and the C API headers they include. */
const WHEEL_MEMBERS = [
  'tensorflow/libtensorflow_cc.so.2',
  'tensorflow/libtensorflow_framework.so.2',
  'tensorflow/include/tensorflow/c/',
  'tensorflow/include/tensorflow/tsl/c/',
  'tensorflow/include/tensorflow/core/platform/ctstring',
  'tensorflow/include/tensorflow/tsl/platform/ctstring',
];

export interface LibtensorflowHome {
  /** Holds libtensorflow_cc.so.2 and libtensorflow_framework.so.2. */
  lib: string;
  /** Root of the `tensorflow/c/...` headers. */
  include: string;
  /** What had to be done: nothing, unpacking, or download + unpacking. */
  action: 'cached' | 'unpacked' | 'downloaded';
}

export type Log = (line: string) => void;

export async function ensureLibtensorflow(wheel: TensorflowWheel, cacheDir: string, log: Log): Promise<LibtensorflowHome> {
  const home = join(cacheDir, `libtensorflow-${wheel.project}-${wheel.version}`);
  const result = { lib: join(home, 'lib'), include: join(home, 'include') };
  // The directory is renamed into place only when complete, so its presence means a finished unpack.
  if (existsSync(join(result.lib, 'libtensorflow_cc.so.2'))) return { ...result, action: 'cached' };

  const { path: wheelPath, downloaded } = await ensureWheel(wheel, join(cacheDir, 'pypi'), log);
  log(`unpacking libtensorflow from ${wheel.fileName}`);
  const staging = `${home}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  unpackMembers(wheelPath, staging);
  mkdirSync(join(staging, 'lib'));
  renameSync(join(staging, 'tensorflow', 'libtensorflow_cc.so.2'), join(staging, 'lib', 'libtensorflow_cc.so.2'));
  renameSync(join(staging, 'tensorflow', 'libtensorflow_framework.so.2'), join(staging, 'lib', 'libtensorflow_framework.so.2'));
  renameSync(join(staging, 'tensorflow', 'include'), join(staging, 'include'));
  rmSync(join(staging, 'tensorflow'), { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
  renameSync(staging, home);
  return { ...result, action: downloaded ? 'downloaded' : 'unpacked' };
}

async function ensureWheel(wheel: TensorflowWheel, dir: string, log: Log): Promise<{ path: string; downloaded: boolean }> {
  const target = join(dir, wheel.fileName);
  if (existsSync(target) && (await sha256File(target)) === wheel.sha256) return { path: target, downloaded: false };

  log(`downloading ${wheel.project}==${wheel.version} from PyPI with pip (about 200-600 MB, once per machine)`);
  const staging = join(dir, `.download-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  // Platform and interpreter are fixed so every machine fetches the same file, whatever its own Python is;
  // only the native libraries are used, never the Python parts.
  execFileSync(
    pythonCommand(),
    [
      '-m',
      'pip',
      'download',
      '--no-deps',
      '--only-binary=:all:',
      '--disable-pip-version-check',
      '--platform',
      'manylinux2014_x86_64',
      '--python-version',
      '3.11',
      '--implementation',
      'cp',
      '--abi',
      'cp311',
      '-d',
      staging,
      `${wheel.project}==${wheel.version}`,
    ],
    { stdio: 'inherit' },
  );
  const fetched = join(staging, wheel.fileName);
  if (!existsSync(fetched)) {
    throw new Error(`pip did not fetch ${wheel.fileName}; got: ${readdirSync(staging).join(', ') || 'nothing'}`);
  }
  const actual = await sha256File(fetched);
  if (actual !== wheel.sha256) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`checksum mismatch for ${wheel.fileName}: expected sha256 ${wheel.sha256}, got ${actual}`);
  }
  renameSync(fetched, target);
  rmSync(staging, { recursive: true, force: true });
  return { path: target, downloaded: true };
}

/** Python's zipfile instead of `unzip`, because pip already means Python is there. */
function unpackMembers(wheelPath: string, destination: string): void {
  const script = [
    'import sys, zipfile',
    'wheel, dest, prefixes = sys.argv[1], sys.argv[2], sys.argv[3:]',
    'with zipfile.ZipFile(wheel) as z:',
    '    names = [n for n in z.namelist() if any(n.startswith(p) for p in prefixes)]',
    '    z.extractall(dest, names)',
    'print(len(names))',
  ].join('\n');
  mkdirSync(destination, { recursive: true });
  const scriptPath = join(destination, '.unpack.py');
  writeFileSync(scriptPath, script);
  execFileSync(pythonCommand(), [scriptPath, wheelPath, destination, ...WHEEL_MEMBERS], { stdio: 'pipe' });
  rmSync(scriptPath);
}

function pythonCommand(): string {
  for (const candidate of ['python3', 'python']) {
    try {
      execFileSync(candidate, ['-m', 'pip', '--version'], { stdio: 'ignore' });
      return candidate;
    } catch {
      // try the next name
    }
  }
  throw new Error('python3 with pip is needed to fetch the TensorFlow wheel from PyPI (apt-get install python3-pip)');
}

export function sha256File(path: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolvePromise(hash.digest('hex')));
  });
}
