/**
 * Loads what a scenario's replay groups need from the data directory and hands out replay sources per device:
 * C-MAPSS FD001 training engines (one per device, `cmapss-fd001-u017`), MIMII machines (devices take the
 * machines in turn, those with abnormal clips first), MVTec-layout images. Returns undefined for an all-synthetic
 * scenario, so synthetic runs never touch the disk.
 *
 * @example
 *   const replay = await loadReplayCatalogue(scenario, resolveDataDir());
 *   const fleet = buildFleet(scenario, { startMs, replay });
 */
import * as path from 'node:path';
import { existsSync } from 'node:fs';
import { loadCmapssSubset, type CmapssRow } from '@vigil/datasets';
import type { DeviceFaults } from '../faults/fault';
import type { DeviceGroup, Scenario } from '../scenario/scenario.types';
import type { ReplayCatalogue } from '../simulation/fleet-builder';
import { ReplayUnavailableError } from '../simulation/fleet-builder';
import { CmapssReplaySource } from './cmapss-replay.source';
import { MimiiReplaySource, type MimiiMachine } from './mimii-replay.source';
import { MvtecReplaySource, type MvtecCategory } from './mvtec-replay.source';
import { ClipFileReader, ImageFileReader, listMimiiMachines, listMvtecCategory } from './replay-files.repository';

/** FD001 has 100 training engines. */
const CMAPSS_UNITS = 100;

export async function loadReplayCatalogue(scenario: Scenario, dataDir: string): Promise<ReplayCatalogue | undefined> {
  const needs = {
    cmapss: scenario.fleet.some((g) => g.sensor?.source === 'cmapss'),
    mimii: scenario.fleet.some((g) => g.audio?.source === 'mimii'),
    mvtec: scenario.fleet.some((g) => g.image?.source === 'mvtec'),
  };
  if (!needs.cmapss && !needs.mimii && !needs.mvtec) return undefined;
  const require = (sub: string) => {
    const dir = path.join(dataDir, sub);
    if (!existsSync(dir)) throw new ReplayUnavailableError(`scenario "${scenario.name}" replays ${sub}, but ${dir} does not exist (set VIGIL_DATA_DIR)`);
    return dir;
  };
  const units = new Map<number, CmapssRow[]>();
  if (needs.cmapss) {
    const { train } = await loadCmapssSubset('FD001', require('cmapss'));
    for (const row of train) (units.get(row.unit) ?? units.set(row.unit, []).get(row.unit)!).push(row);
  }
  const machines = needs.mimii ? listMimiiMachines(require('mimii')) : [];
  const categories = new Map<string, MvtecCategory>();
  if (needs.mvtec) {
    for (const group of scenario.fleet) {
      if (group.image?.source === 'mvtec' && !categories.has(group.image.category)) {
        categories.set(group.image.category, listMvtecCategory(require('mtd'), group.image.category));
      }
    }
  }
  return new DatasetReplayCatalogue(scenario, units, machines, categories);
}

class DatasetReplayCatalogue implements ReplayCatalogue {
  private readonly clips = new ClipFileReader();
  private readonly images = new ImageFileReader();

  constructor(
    private readonly scenario: Scenario,
    private readonly units: Map<number, CmapssRow[]>,
    private readonly machines: MimiiMachine[],
    private readonly categories: Map<string, MvtecCategory>,
  ) {}

  cmapssDeviceId(group: DeviceGroup, index: number): string {
    return `cmapss-fd001-u${String(this.unitOf(group, index)).padStart(3, '0')}`;
  }

  sensor(group: DeviceGroup, index: number, deviceId: string, faults: DeviceFaults): CmapssReplaySource {
    if (group.sensor?.source !== 'cmapss') throw new RangeError(`group "${group.name}" has no C-MAPSS sensor`);
    const rows = this.units.get(this.unitOf(group, index));
    if (!rows) throw new ReplayUnavailableError(`C-MAPSS FD001 has no unit ${this.unitOf(group, index)}`);
    return new CmapssReplaySource(deviceId, rows, { rateHz: group.sensor.rateHz, degradedRulCycles: group.sensor.degradedRulCycles }, faults);
  }

  audio(group: DeviceGroup, index: number, deviceId: string, faults: DeviceFaults): MimiiReplaySource {
    if (group.audio?.source !== 'mimii') throw new RangeError(`group "${group.name}" has no MIMII audio`);
    const wanted = group.audio.machine;
    const candidates = this.machines
      .filter((m) => !wanted || m.name === wanted || m.name.startsWith(`${wanted}/`))
      .sort((a, b) => Number(b.abnormal.length > 0) - Number(a.abnormal.length > 0));
    if (candidates.length === 0) throw new ReplayUnavailableError(`no MIMII machine matches "${wanted}"`);
    return new MimiiReplaySource(deviceId, candidates[index % candidates.length]!, this.clips, faults, { chunkMs: group.audio.chunkMs });
  }

  image(group: DeviceGroup, _index: number, deviceId: string, faults: DeviceFaults): MvtecReplaySource {
    if (group.image?.source !== 'mvtec') throw new RangeError(`group "${group.name}" has no MVTec images`);
    const category = this.categories.get(group.image.category)!;
    return new MvtecReplaySource(deviceId, category, this.images, faults, this.scenario.seed, { periodMs: group.image.periodMs });
  }

  private unitOf(group: DeviceGroup, index: number): number {
    const first = group.sensor?.source === 'cmapss' ? group.sensor.firstUnit : 1;
    return ((first - 1 + index) % CMAPSS_UNITS) + 1;
  }
}
