/**
 * Renders a model card (markdown) from a model's manifest and its evaluation: what it is, what it was trained
 * on, how it scores, how well it detects, how to reproduce it, and its known limits. Written beside the weights
 * as MODEL_CARD.md by the evaluation scripts and the CLI.
 *
 * @example
 *   await writeFile(path.join(dir, 'MODEL_CARD.md'), renderModelCard(manifest, { reproduce: 'npm run eval:cmapss', results }));
 */
import type { ModelManifest } from '../registry/model-manifest';

export interface EvaluationRow {
  /** What the row covers, e.g. `test engines` or `inner_race @ 1 hp`. */
  subset: string;
  values: Record<string, number | string>;
}

export interface ModelCardInput {
  title?: string;
  summary?: string;
  /** The one command that reproduces the model (and these figures). */
  reproduce?: string;
  /** Evaluation data and labelling, in a sentence or two. */
  protocol?: string;
  results?: EvaluationRow[];
  limitations?: string[];
  /** What the served score is, when it is not the window's reconstruction error (e.g. a latent density). */
  score?: string;
}

function format(value: number | string): string {
  if (typeof value === 'string') return value;
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 1000 || Math.abs(value) < 1e-3 ? value.toExponential(3) : value.toFixed(4);
}

function table(rows: EvaluationRow[]): string[] {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r.values)))];
  return [
    `| subset | ${columns.join(' | ')} |`,
    `|---|${columns.map(() => '---:').join('|')}|`,
    ...rows.map((r) => `| ${r.subset} | ${columns.map((c) => (r.values[c] === undefined ? '' : format(r.values[c]!))).join(' | ')} |`),
  ];
}

export function renderModelCard(manifest: ModelManifest, input: ModelCardInput = {}): string {
  const c = manifest.config;
  const encoder =
    c.encoder === 'cnn'
      ? `1D-CNN (filters ${c.cnn.filters.join('/')}, kernel ${c.cnn.kernelSize})`
      : `Transformer (${c.transformer.layers} block(s), model dim ${c.transformer.modelDim}, ${c.transformer.heads} heads, feed-forward ${c.transformer.feedForwardDim})`;
  const lastEpoch = manifest.training.history.at(-1);
  const lines = [
    `# Model card: ${input.title ?? manifest.name} (${manifest.name}@${manifest.version})`,
    '',
    input.summary ?? '',
    '',
    '## Model',
    `- Kind: ${manifest.kind}; β-VAE with a ${encoder} encoder and a convolutional decoder.`,
    `- Input: windows of ${c.steps} steps × ${c.channels} channels (${manifest.channelNames.join(', ')}), standardised per channel with the stored training statistics.`,
    `- Latent dimension ${c.latentDim}, hidden units ${c.hiddenUnits}, dropout ${c.dropout}.`,
    `- Score: ${input.score ?? 'mean squared reconstruction error of decode(encode(x).mean) in standardised units'}; higher is more anomalous.`,
    manifest.calibration
      ? `- Threshold: ${format(manifest.calibration.threshold)} (${manifest.calibration.method}, ${Object.entries(manifest.calibration.parameters)
          .map(([k, v]) => `${k}=${format(v)}`)
          .join(', ')}, on ${manifest.calibration.scoreCount} scores).`
      : '- Threshold: not calibrated.',
    '',
    '## Training',
    `- Data: ${manifest.data.source}; ${manifest.data.windows} windows (stride ${manifest.data.stride}); fingerprint \`${manifest.data.fingerprint}\`.`,
    `- Hyper-parameters: \`${JSON.stringify(manifest.hyperParameters)}\`.`,
    `- ${manifest.training.epochs} epochs in ${manifest.training.seconds.toFixed(0)} s, best epoch ${manifest.training.bestEpoch}${manifest.training.stoppedEarly ? ' (stopped early)' : ''}` +
      (lastEpoch ? `; last epoch loss ${format(lastEpoch.loss ?? Number.NaN)}, validation loss ${format(lastEpoch.validationLoss ?? Number.NaN)}.` : '.'),
    `- Created ${manifest.createdAt}.`,
  ];
  if (input.reproduce) lines.push('', '## Reproduce', '```bash', input.reproduce, '```');
  if (input.results?.length) {
    lines.push('', '## Evaluation');
    if (input.protocol) lines.push(input.protocol, '');
    lines.push(...table(input.results));
  } else if (Object.keys(manifest.metrics).length) {
    lines.push('', '## Metrics', ...table([{ subset: 'all', values: manifest.metrics }]));
  }
  if (input.limitations?.length) lines.push('', '## Limitations', ...input.limitations.map((l) => `- ${l}`));
  return lines.join('\n').replace(/\n{3,}/g, '\n\n') + '\n';
}
