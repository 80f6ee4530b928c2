/**
 * The CWRU bearing data's `index.csv` (one row per WAV: fault, size, load, rate, scale), parsed and checked.
 * WAVs are int16 scaled per file so that the largest |x| maps to 32767; `peakG` undoes that
 * (`g = int16 / 32767 · peakG`), which `cwruToG` applies to decoded samples.
 *
 * @example
 *   const index = parseCwruIndex(csvText);
 *   const faults12k = filterCwru(index, { sampleRateHz: 12000, faultLocation: 'inner_race' });
 */
import { CsvFormatError, parseCsvRecords } from '../csv';

export const CWRU_FAULT_LOCATIONS = ['none', 'inner_race', 'ball', 'outer_race_at6'] as const;
export type CwruFaultLocation = (typeof CWRU_FAULT_LOCATIONS)[number];

export interface CwruRecording {
  /** WAV path relative to the CWRU folder. */
  file: string;
  /** Folder name, e.g. `inner_race_0.007in` or `normal`. */
  condition: string;
  faultLocation: CwruFaultLocation;
  /** Fault diameter in inches; null for the healthy bearing. */
  faultDiameterIn: number | null;
  loadHp: number;
  rpm: number;
  sampleRateHz: number;
  samples: number;
  durationS: number;
  /** Full-scale value of the WAV in g. */
  peakG: number;
  sourceMat: string;
  note: string;
  /** True for the healthy bearing. */
  isNormal: boolean;
}

const REQUIRED = [
  'file',
  'condition',
  'fault_location',
  'fault_diameter_in',
  'load_hp',
  'rpm',
  'sampling_rate_hz',
  'n_samples',
  'duration_s',
  'peak_g',
  'source_mat',
  'note',
];

export function parseCwruIndex(text: string): CwruRecording[] {
  const records = parseCsvRecords(text);
  const missing = REQUIRED.filter((column) => records.length > 0 && !(column in records[0]!));
  if (missing.length > 0) throw new CsvFormatError(`CWRU index.csv lacks column(s): ${missing.join(', ')}`);
  return records.map((r, i) => {
    const number = (column: string): number => {
      const value = Number(r[column]);
      if (r[column] === '' || !Number.isFinite(value)) throw new CsvFormatError(`index.csv row ${i + 2}: ${column} "${r[column]}" is not a number`);
      return value;
    };
    const faultLocation = r.fault_location as CwruFaultLocation;
    if (!CWRU_FAULT_LOCATIONS.includes(faultLocation)) throw new CsvFormatError(`index.csv row ${i + 2}: unknown fault_location "${r.fault_location}"`);
    const isNormal = faultLocation === 'none';
    return {
      file: r.file!,
      condition: r.condition!,
      faultLocation,
      faultDiameterIn: isNormal ? null : number('fault_diameter_in'),
      loadHp: number('load_hp'),
      rpm: number('rpm'),
      sampleRateHz: number('sampling_rate_hz'),
      samples: number('n_samples'),
      durationS: number('duration_s'),
      peakG: number('peak_g'),
      sourceMat: r.source_mat!,
      note: r.note!,
      isNormal,
    };
  });
}

export interface CwruFilter {
  faultLocation?: CwruFaultLocation;
  faultDiameterIn?: number;
  loadHp?: number;
  sampleRateHz?: number;
}

export function filterCwru(index: readonly CwruRecording[], filter: CwruFilter): CwruRecording[] {
  return index.filter(
    (r) =>
      (filter.faultLocation === undefined || r.faultLocation === filter.faultLocation) &&
      (filter.faultDiameterIn === undefined || r.faultDiameterIn === filter.faultDiameterIn) &&
      (filter.loadHp === undefined || r.loadHp === filter.loadHp) &&
      (filter.sampleRateHz === undefined || r.sampleRateHz === filter.sampleRateHz),
  );
}

/** Decoded WAV samples (int16 / 32768, as decodeWav returns them) back to acceleration in g. */
export function cwruToG(samples: Float32Array, recording: Pick<CwruRecording, 'peakG'>): Float32Array {
  const scale = (32768 / 32767) * recording.peakG;
  return samples.map((x) => x * scale);
}
