/**
 * MIMII / DCASE-style folder layout → clip metadata, from paths alone (see the data folder's README):
 *
 *   <machine>/<id>/<normal|abnormal>/<file>.wav                   mono (downmix or DCASE), e.g. 00000000_0dB.wav
 *   raw_8ch/<machine>/<id>/<normal|abnormal>/<file>.wav           8-channel MIMII originals
 *   unknown_dcase2020/<id>/<normal|abnormal>/<file>.wav           DCASE 2020 Task 2 files, machine type unknown
 *
 * Every clip gets a `groupKey` (machine/id/clip number): the same recording can appear at several SNRs
 * (`00000000.wav` and `00000000_0dB.wav`) or as raw and downmix, and such clips must stay on one side of a split.
 *
 * @example
 *   parseMimiiPath('valve/id_00/normal/00000000_0dB.wav')
 *   // { machine: 'valve', machineId: 'id_00', label: 'normal', snrDb: 0, clip: '00000000', layout: 'mono', groupKey: 'valve/id_00/00000000', … }
 */

export type MimiiLabel = 'normal' | 'abnormal';
export type MimiiLayout = 'mono' | 'raw_8ch' | 'dcase2020';

export interface MimiiClip {
  /** Path relative to the MIMII folder, with forward slashes. */
  relativePath: string;
  /** fan, pump, slider, valve, … or `unknown` for `unknown_dcase2020`. */
  machine: string;
  /** `id_00` … or `id_unknown`. */
  machineId: string;
  label: MimiiLabel;
  layout: MimiiLayout;
  /** SNR in dB when the file name states it (`_0dB`, `_-6dB`, `_6dB`), else null. */
  snrDb: number | null;
  /** The 8-digit MIMII/DCASE clip number when the file name has one, else the file's base name. */
  clip: string;
  /** machine/id/clip: clips sharing it are the same recording and must not straddle a split. */
  groupKey: string;
}

export class MimiiLayoutError extends Error {
  override readonly name = 'MimiiLayoutError';
}

const LABELS: readonly string[] = ['normal', 'abnormal'];

export function parseMimiiPath(relativePath: string): MimiiClip {
  const normalised = relativePath.split(/[\\/]+/).filter((p) => p !== '');
  const parts = [...normalised];
  let layout: MimiiLayout = 'mono';
  if (parts[0] === 'raw_8ch') {
    layout = 'raw_8ch';
    parts.shift();
  }
  if (parts.length !== 4) throw new MimiiLayoutError(`"${relativePath}": expected <machine>/<id>/<normal|abnormal>/<file>.wav`);
  const [folder, machineId, label, file] = parts as [string, string, string, string];
  if (!LABELS.includes(label)) throw new MimiiLayoutError(`"${relativePath}": label folder must be normal or abnormal, got "${label}"`);
  if (!/\.wav$/i.test(file)) throw new MimiiLayoutError(`"${relativePath}": not a .wav file`);
  let machine = folder;
  if (folder === 'unknown_dcase2020') {
    if (layout === 'raw_8ch') throw new MimiiLayoutError(`"${relativePath}": DCASE files have no raw_8ch form`);
    layout = 'dcase2020';
    machine = 'unknown';
  }
  const base = file.replace(/\.wav$/i, '');
  const snr = /_(-?\d+)dB$/i.exec(base);
  const digits = /(\d{8})/.exec(base);
  const clip = digits ? digits[1]! : base;
  return {
    relativePath: normalised.join('/'),
    machine,
    machineId,
    label: label as MimiiLabel,
    layout,
    snrDb: snr ? Number(snr[1]) : null,
    clip,
    groupKey: `${machine}/${machineId}/${clip}`,
  };
}
