/**
 * SKAB (Skoltech Anomaly Benchmark) with its outlier-detection protocol, through the `vigil` command line the
 * way a user runs it: one detector per experiment file, trained on its first 400 rows (normal by construction),
 * scoring the whole file; `anomaly` is the label, `changepoint` is a label too and never a sensor. Prints
 * F1, FAR and MAR per file (stderr) and over all files together (stdout), as the benchmark reports them.
 * The data folder is `<data dir>/skab` (VIGIL_DATA_DIR, default ../shared/data); the experiment folder is
 * the first argument (default valve1); any further arguments are passed to `vigil timeseries evaluate`.
 *
 *   npm run eval:skab
 *   npx tsx libs/ml/eval/skab.eval.ts valve1 --vae-weight 0.5 --json /tmp/skab.json
 */
import * as path from 'node:path';
import { main } from '@vigil/cli';
import { resolveDataDir } from '@vigil/datasets';

const [folder = 'valve1', ...extra] = process.argv.slice(2);
const csv = path.join(resolveDataDir(), 'skab', folder);
void main(['timeseries', 'evaluate', '--csv', csv, '--label-column', 'anomaly', '--exclude', 'changepoint', '--train-rows', '400', ...extra]).then((code) => {
  process.exitCode = code;
});
