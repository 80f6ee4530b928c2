/**
 * Reads the CWRU folder: `index.csv` and the drive-end WAVs it lists, returned in g.
 *
 * @example
 *   const index = await loadCwruIndex();                               // <data dir>/cwru/index.csv
 *   const { signal, sampleRateHz } = await loadCwruSignal(index[0]);   // Float32Array in g
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { decodeWav } from '../audio/wav';
import { resolveDataDir } from '../data-dir';
import { cwruToG, parseCwruIndex, type CwruRecording } from './cwru-index';

export const defaultCwruDir = (): string => path.join(resolveDataDir(), 'cwru');

export async function loadCwruIndex(folder = defaultCwruDir()): Promise<CwruRecording[]> {
  return parseCwruIndex(await readFile(path.join(folder, 'index.csv'), 'utf8'));
}

export interface CwruSignal {
  recording: CwruRecording;
  sampleRateHz: number;
  /** Drive-end acceleration in g. */
  signal: Float32Array;
}

/** Decodes one recording's WAV and checks it against its index row (rate and length). */
export async function loadCwruSignal(recording: CwruRecording, folder = defaultCwruDir()): Promise<CwruSignal> {
  const audio = decodeWav(await readFile(path.join(folder, recording.file)));
  if (audio.sampleRate !== recording.sampleRateHz || audio.frames !== recording.samples) {
    throw new Error(
      `${recording.file}: WAV has ${audio.frames} samples at ${audio.sampleRate} Hz, index.csv says ${recording.samples} at ${recording.sampleRateHz} Hz`,
    );
  }
  return { recording, sampleRateHz: audio.sampleRate, signal: cwruToG(audio.channels[0]!, recording) };
}
