import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasDataDir, resolveDataDir } from '../data-dir';
import { listMimiiClips, loadMimiiClip } from './mimii-files';
import { MimiiLayoutError, parseMimiiPath } from './mimii-layout';

describe('parseMimiiPath', () => {
  it.each([
    [
      'valve/id_00/normal/00000000_0dB.wav',
      { machine: 'valve', machineId: 'id_00', label: 'normal', layout: 'mono', snrDb: 0, clip: '00000000', groupKey: 'valve/id_00/00000000' },
    ],
    ['valve/id_00/normal/00000000.wav', { layout: 'mono', snrDb: null, clip: '00000000', groupKey: 'valve/id_00/00000000' }],
    ['fan/id_02/abnormal/00000012_-6dB.wav', { label: 'abnormal', snrDb: -6, clip: '00000012' }],
    ['pump/id_unknown/abnormal/pump_abnormal.wav', { machineId: 'id_unknown', clip: 'pump_abnormal', groupKey: 'pump/id_unknown/pump_abnormal' }],
    ['raw_8ch/fan/id_unknown/normal/fan_normal.wav', { machine: 'fan', layout: 'raw_8ch', relativePath: 'raw_8ch/fan/id_unknown/normal/fan_normal.wav' }],
    [
      'unknown_dcase2020/id_00/abnormal/anomaly_id_00_00000000.wav',
      { machine: 'unknown', machineId: 'id_00', label: 'abnormal', layout: 'dcase2020', clip: '00000000' },
    ],
    ['slider\\id_04\\normal\\00000000_6dB.WAV', { machine: 'slider', snrDb: 6, relativePath: 'slider/id_04/normal/00000000_6dB.WAV' }],
  ])('%s', (relativePath, expected) => {
    expect(parseMimiiPath(relativePath)).toMatchObject(expected);
  });

  it.each([
    ['fan/id_00/00000000.wav', /expected <machine>/],
    ['fan/id_00/broken/00000000.wav', /normal or abnormal, got "broken"/],
    ['fan/id_00/normal/notes.txt', /not a \.wav/],
    ['raw_8ch/unknown_dcase2020/id_00/normal/a.wav', /no raw_8ch form/],
  ])('rejects %s', (relativePath, message) => {
    expect(() => parseMimiiPath(relativePath)).toThrow(MimiiLayoutError);
    expect(() => parseMimiiPath(relativePath)).toThrow(message);
  });
});

const mimiiDir = path.join(resolveDataDir(), 'mimii');
describe.skipIf(!hasDataDir('mimii'))(`real MIMII folder ${mimiiDir} (skipped when absent)`, () => {
  it('lists the README’s counts: 119 mono/DCASE clips, 12 raw 8-channel ones', async () => {
    const clips = await listMimiiClips({ folder: mimiiDir });
    expect(clips).toHaveLength(119);
    const dcase = clips.filter((c) => c.layout === 'dcase2020');
    expect(dcase.filter((c) => c.label === 'normal')).toHaveLength(75);
    expect(dcase.filter((c) => c.label === 'abnormal')).toHaveLength(1);
    const count = (machine: string, label: string) => clips.filter((c) => c.machine === machine && c.label === label).length;
    expect([count('fan', 'normal'), count('fan', 'abnormal'), count('valve', 'normal'), count('valve', 'abnormal')]).toEqual([4, 5, 8, 6]);
    expect(await listMimiiClips({ folder: mimiiDir, layouts: ['raw_8ch'] })).toHaveLength(12);
  });

  it('loads a clip at 16 kHz, 10 s, mono or one of 8 channels', async () => {
    const [valve] = await listMimiiClips({ folder: mimiiDir, machine: 'valve', machineId: 'id_06', label: 'abnormal' });
    const loaded = await loadMimiiClip(valve!, { folder: mimiiDir });
    expect(loaded).toMatchObject({ sampleRate: 16000, channelCount: 1 });
    expect(loaded.samples).toHaveLength(160000);
    const [raw] = await listMimiiClips({ folder: mimiiDir, layouts: ['raw_8ch'], machine: 'pump' });
    const channel = await loadMimiiClip(raw!, { folder: mimiiDir, channel: 7 });
    expect(channel.channelCount).toBe(8);
    expect(channel.samples).toHaveLength(160000);
  });
});
