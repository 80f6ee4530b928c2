/**
 * The only simulator file that touches the real data sets on disk: lists MIMII machines and MVTec-layout
 * categories, and reads (with caching) decoded clips and image bytes. Reads are synchronous because sources
 * produce samples synchronously; each file is read once per process.
 *
 * @example
 *   const machines = listMimiiMachines(path.join(dataDir, 'mimii'));   // [{ name: 'fan/id_02', normal: [...], abnormal: [...] }, …]
 *   const tiles = listMvtecCategory(path.join(dataDir, 'mtd'), 'magnetic_tile');
 *   new ClipFileReader().read(machines[0].normal[0]).samples;          // Float32Array, mono
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { decodeWav, mixdown } from '@vigil/datasets';
import type { ClipReader, MimiiMachine } from './mimii-replay.source';
import type { ImageReader, MvtecCategory } from './mvtec-replay.source';

const isDir = (p: string) => existsSync(p) && statSync(p).isDirectory();
const filesIn = (dir: string, pattern: RegExp) =>
  isDir(dir)
    ? readdirSync(dir)
        .filter((f) => pattern.test(f))
        .sort()
        .map((f) => path.join(dir, f))
    : [];
const subdirs = (dir: string) =>
  isDir(dir)
    ? readdirSync(dir)
        .filter((d) => isDir(path.join(dir, d)))
        .sort()
    : [];

/** `<mimii>/<machine>/<id>/{normal,abnormal}/*.wav`, skipping the 8-channel originals in `raw_8ch/`. */
export function listMimiiMachines(mimiiDir: string): MimiiMachine[] {
  const machines: MimiiMachine[] = [];
  for (const machine of subdirs(mimiiDir).filter((d) => d !== 'raw_8ch')) {
    for (const id of subdirs(path.join(mimiiDir, machine))) {
      const base = path.join(mimiiDir, machine, id);
      const normal = filesIn(path.join(base, 'normal'), /\.wav$/i);
      const abnormal = filesIn(path.join(base, 'abnormal'), /\.wav$/i);
      if (normal.length > 0) machines.push({ name: `${machine}/${id}`, normal, abnormal });
    }
  }
  return machines;
}

/** `<root>/<category>/{train,test}/good/*` as normal, `test/<defect>/*` as defects (MVTec AD layout). */
export function listMvtecCategory(root: string, category: string): MvtecCategory {
  const dir = path.join(root, category);
  const images = /\.(jpe?g|png)$/i;
  const defects: Record<string, string[]> = {};
  for (const type of subdirs(path.join(dir, 'test')).filter((d) => d !== 'good')) defects[type] = filesIn(path.join(dir, 'test', type), images);
  return { name: category, good: [...filesIn(path.join(dir, 'train', 'good'), images), ...filesIn(path.join(dir, 'test', 'good'), images)], defects };
}

export class ClipFileReader implements ClipReader {
  private readonly cache = new Map<string, { sampleRate: number; samples: Float32Array }>();

  read(file: string): { sampleRate: number; samples: Float32Array } {
    let clip = this.cache.get(file);
    if (!clip) {
      const audio = decodeWav(readFileSync(file));
      clip = { sampleRate: audio.sampleRate, samples: mixdown(audio) };
      this.cache.set(file, clip);
    }
    return clip;
  }
}

export class ImageFileReader implements ImageReader {
  private readonly cache = new Map<string, Buffer>();

  read(file: string): Buffer {
    let bytes = this.cache.get(file);
    if (!bytes) {
      bytes = readFileSync(file);
      this.cache.set(file, bytes);
    }
    return bytes;
  }
}
