/**
 * Lists and reads MIMII / DCASE clips under the MIMII folder. By default only the mono files are listed:
 * `raw_8ch/` holds the originals of some top-level downmixes, so listing both would count recordings twice.
 *
 * @example
 *   const clips = await listMimiiClips({ machine: 'valve' });              // mono clips, sorted by path
 *   const { samples, sampleRate } = await loadMimiiClip(clips[0]);          // Float32Array in [-1, 1)
 *   const raw = await listMimiiClips({ layouts: ['raw_8ch'] });
 *   const ch3 = await loadMimiiClip(raw[0], { channel: 3 });
 */
import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { decodeWav, selectChannel } from '../audio/wav';
import { resolveDataDir } from '../data-dir';
import { parseMimiiPath, type MimiiClip, type MimiiLabel, type MimiiLayout } from './mimii-layout';

export const defaultMimiiDir = (): string => path.join(resolveDataDir(), 'mimii');

export interface MimiiListOptions {
  folder?: string;
  /** Default `['mono', 'dcase2020']`. */
  layouts?: readonly MimiiLayout[];
  machine?: string;
  machineId?: string;
  label?: MimiiLabel;
}

async function walkWavFiles(root: string, relative = ''): Promise<string[]> {
  const entries = await readdir(path.join(root, relative), { withFileTypes: true });
  const nested = await Promise.all(
    entries.map(async (entry) => {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) return walkWavFiles(root, child);
      return entry.isFile() && /\.wav$/i.test(entry.name) ? [child] : [];
    }),
  );
  return nested.flat();
}

export async function listMimiiClips(options: MimiiListOptions = {}): Promise<MimiiClip[]> {
  const folder = options.folder ?? defaultMimiiDir();
  const layouts = options.layouts ?? ['mono', 'dcase2020'];
  const clips = (await walkWavFiles(folder)).map(parseMimiiPath);
  return clips
    .filter(
      (c) =>
        layouts.includes(c.layout) &&
        (options.machine === undefined || c.machine === options.machine) &&
        (options.machineId === undefined || c.machineId === options.machineId) &&
        (options.label === undefined || c.label === options.label),
    )
    .sort((a, b) => (a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : 0));
}

export interface LoadClipOptions {
  folder?: string;
  /** Channel index, or `'mix'` (default) for the mean of all channels. */
  channel?: number | 'mix';
}

export interface LoadedClip {
  clip: MimiiClip;
  sampleRate: number;
  /** Channels in the file (8 for raw_8ch). */
  channelCount: number;
  samples: Float32Array;
}

export async function loadMimiiClip(clip: MimiiClip, options: LoadClipOptions = {}): Promise<LoadedClip> {
  const folder = options.folder ?? defaultMimiiDir();
  const audio = decodeWav(await readFile(path.join(folder, clip.relativePath)));
  return { clip, sampleRate: audio.sampleRate, channelCount: audio.channels.length, samples: selectChannel(audio, options.channel ?? 'mix') };
}
