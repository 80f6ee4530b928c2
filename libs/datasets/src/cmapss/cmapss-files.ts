/**
 * Reads one C-MAPSS subset from disk: `train_FD00x.txt`, `test_FD00x.txt` and `RUL_FD00x.txt` in one folder
 * (NASA's names), with RUL attached to every row. The only C-MAPSS file that touches the filesystem.
 *
 * @example
 *   const { train, test } = await loadCmapssSubset('FD001');            // <data dir>/cmapss
 *   const fd002 = await loadCmapssSubset('FD002', '/data/CMAPSSData');   // any folder with NASA's files
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { resolveDataDir } from '../data-dir';
import { CMAPSS_SUBSETS, parseCmapssRows, parseRulFile, withTestRul, withTrainingRul, type CmapssRow, type CmapssSubset } from './cmapss-format';

export interface CmapssSubsetData {
  subset: CmapssSubset;
  /** Run-to-failure engines, RUL = last cycle − cycle. */
  train: CmapssRow[];
  /** Truncated engines, RUL from RUL_FD00x.txt. */
  test: CmapssRow[];
}

export function cmapssFilePaths(subset: CmapssSubset, folder: string): { train: string; test: string; rul: string } {
  if (!CMAPSS_SUBSETS.includes(subset)) throw new RangeError(`unknown C-MAPSS subset "${subset}"`);
  return {
    train: path.join(folder, `train_${subset}.txt`),
    test: path.join(folder, `test_${subset}.txt`),
    rul: path.join(folder, `RUL_${subset}.txt`),
  };
}

export async function loadCmapssSubset(subset: CmapssSubset, folder = path.join(resolveDataDir(), 'cmapss')): Promise<CmapssSubsetData> {
  const files = cmapssFilePaths(subset, folder);
  const [trainText, testText, rulText] = await Promise.all([files.train, files.test, files.rul].map((f) => readFile(f, 'latin1')));
  return {
    subset,
    train: withTrainingRul(parseCmapssRows(trainText!)),
    test: withTestRul(parseCmapssRows(testText!), parseRulFile(rulText!)),
  };
}
