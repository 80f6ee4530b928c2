/**
 * The pipeline bench's load: every device's sensor readings in real time (one produce request per 100 ms tick),
 * and with `multimodal` 1 s of sound per second and a thermal frame every 5 s per device, spread over the ticks.
 * What they carry (`inputs`): `simulated` (the default) replays a fault-free fleet of the simulators' synthetic
 * pumps — eight of them, generated before the load starts, each bench device one of them under its own id — so the
 * models see the normal operation they were trained on and few windows are flagged, as in a plant;
 * `constant` sends flat sensor values with a 1 % ripple, silent sound and a uniform 32×32 frame, which every model
 * flags: an alarm storm, with root cause and SHAP for every window. It records, for each (device, window end), the
 * event that closes that window — the first reading at or past window end + lateness — with when it was sent and when the broker appended it (the sensor topic stamps
 * LogAppendTime): where the bench starts counting a window's latency.
 *
 * It runs in a worker thread of its own at a lower scheduling priority (`load-generator.worker.ts`): on the 2-core
 * machine it shares the cores with what it measures, and it stands in for devices that would run elsewhere.
 */
import { type AudioChunk, type ImageFrame, type SensorReading, TOPICS, withSuffix } from '@vigil/contracts';
import { parseScenario, planRun } from '@vigil/simulators';
import { staggeredPhaseMs } from '@vigil/detection';
import { AvroSerde, createKafka } from '@vigil/kafka';
import { CompressionTypes, logLevel, type Message, Partitioners } from 'kafkajs';

export interface LoadPlan {
  devices: number;
  hz: number;
  seconds: number;
  multimodal: boolean;
  /** The run's topic suffix: the topics are the catalogue's, renamed. */
  suffix: string;
  brokers: string[];
  registryUrl: string;
  windowPhase: 'staggered' | 'aligned';
  latenessMs: number;
  hopMs: number;
  inputs: 'simulated' | 'constant';
}

export interface LoadReport {
  /** Wall-clock start of the first tick. */
  startedAt: number;
  elapsedS: number;
  sensorSent: number;
  otherSent: number;
  /** Ticks that started more than a tick late: the generator could not keep up. */
  lagWarnings: number;
  /** CPU seconds of the generator's own thread over the load, and the nice value it ran at above its parent's. */
  cpuS: number;
  niceness: number;
  /** `${deviceId}@${windowEndMs}` of each window's closing event, with its send and broker-append times (ms; NaN if unknown). */
  closerKeys: string[];
  closerSentAt: Float64Array;
  closerAppendedAt: Float64Array;
}

const TICK_MS = 100;
const IMAGE_PERIOD_MS = 5000;
/** Distinct simulated pumps the bench devices take in turn. */
const TEMPLATE_DEVICES = 8;

/** One device's streams, in time order: what a bench device sends, with its own id, seq and time stamps. */
interface DeviceTemplate {
  sensor: Array<SensorReading['values']>;
  audio: Array<Pick<AudioChunk, 'sampleRate' | 'channels' | 'encoding' | 'pcm'>>;
  image: Array<Pick<ImageFrame, 'width' | 'height' | 'channels' | 'encoding' | 'data'>>;
}

/** `simulated`: the simulators' fault-free synthetic pumps at `hz`, long enough for the load (no loop seam). */
function simulatedTemplates(plan: LoadPlan, startMs: number): DeviceTemplate[] {
  const scenario = parseScenario(
    [
      'name: bench-load',
      'seed: 5',
      `durationS: ${Math.ceil(plan.seconds) + 5}`,
      'fleet:',
      '  - name: pumps',
      `    count: ${TEMPLATE_DEVICES}`,
      `    sensor: { source: synthetic, rateHz: ${plan.hz} }`,
      '    audio: { source: synthetic, chunkS: 1, sampleRate: 16000 }',
      `    image: { source: synthetic, periodS: ${IMAGE_PERIOD_MS / 1000}, width: 64, height: 64 }`,
    ].join('\n'),
  );
  const byDevice = new Map<string, DeviceTemplate>();
  const run = planRun(scenario, { startMs, streams: new Set(['sensor', 'audio', 'image']) });
  const events = [...run.batches()].flat().sort((a, b) => a.eventTimeMs - b.eventTimeMs);
  for (const e of events) {
    let t = byDevice.get(e.key);
    if (!t) byDevice.set(e.key, (t = { sensor: [], audio: [], image: [] }));
    if (e.stream === 'sensor') t.sensor.push(e.value.values);
    else if (e.stream === 'audio') t.audio.push(e.value);
    else if (e.stream === 'image') t.image.push(e.value);
  }
  return [...byDevice.values()];
}

/** `constant`: flat readings with a 1 % ripple, silence, a uniform grey frame (every model flags them). */
function constantTemplate(): DeviceTemplate {
  const channels = ['bearing_temp', 'flow', 'motor_current', 'motor_temp', 'pressure', 'rpm', 'vibration_rms'];
  const base = [60, 40, 20, 70, 3.5, 1480, 2];
  return {
    sensor: Array.from({ length: 70 }, (_, i) => Object.fromEntries(channels.map((c, j) => [c, base[j]! * (1 + 0.01 * Math.sin(i / 7 + j))]))),
    audio: [{ sampleRate: 16_000, channels: 1, encoding: 'PCM_S16LE', pcm: Buffer.alloc(16_000 * 2) }],
    image: [{ width: 32, height: 32, channels: 1, encoding: 'RAW_U8', data: Buffer.alloc(32 * 32, 128) }],
  };
}

export async function generateLoad(plan: LoadPlan, niceness = 0): Promise<LoadReport> {
  const { devices, hz, seconds, latenessMs, hopMs } = plan;
  const sensor = withSuffix(TOPICS.sensorReadings, plan.suffix);
  const audio = withSuffix(TOPICS.audioChunks, plan.suffix);
  const image = withSuffix(TOPICS.imageFrames, plan.suffix);
  const serde = AvroSerde.forUrl(plan.registryUrl);
  await serde.registerAll([sensor, audio, image]);
  const kafka = createKafka({ brokers: plan.brokers, clientId: 'bench-load', logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  // The producer's own partitioner (murmur2 of the key), asked here too: which partition's append time a closer has.
  const partitionOf = Partitioners.DefaultPartitioner();
  const sensorPartitions = Array.from({ length: sensor.partitions }, (_, partitionId) => ({
    partitionId,
    leader: 0,
    partitionErrorCode: 0,
    replicas: [0],
    isr: [0],
  }));
  await producer.connect();
  const templates = plan.inputs === 'simulated' ? simulatedTemplates(plan, Date.now()) : [constantTemplate()];
  const templateOf = (d: number) => templates[d % templates.length]!;
  const ids = Array.from({ length: devices }, (_, i) => `bench-${String(i).padStart(5, '0')}`);
  const seq = new Array<number>(devices).fill(0);
  const phases = ids.map((id) => (plan.windowPhase === 'staggered' ? staggeredPhaseMs(id, hopMs) : 0));
  const perTick = (devices * hz * TICK_MS) / 1000;
  const audioSeq = new Array<number>(devices).fill(0);
  const imageSeq = new Array<number>(devices).fill(0);
  const otherModalities = (tick: number, now: number): Array<{ topic: string; messages: Message[] }> => {
    const ticksPerSecond = 1000 / TICK_MS;
    const chunks: Message[] = [];
    const frames: Message[] = [];
    for (let d = tick % ticksPerSecond; d < devices; d += ticksPerSecond) {
      const template = templateOf(d);
      const sound = template.audio[audioSeq[d]! % template.audio.length]!;
      const chunk: AudioChunk = { ...sound, deviceId: ids[d]!, eventTimeMs: now, seq: audioSeq[d]! };
      chunks.push({ key: chunk.deviceId, value: serde.encode(audio, chunk), timestamp: String(now) });
      if (audioSeq[d]!++ % (IMAGE_PERIOD_MS / 1000) === 0) {
        const picture = template.image[imageSeq[d]! % template.image.length]!;
        const frame: ImageFrame = { ...picture, deviceId: ids[d]!, eventTimeMs: now, seq: imageSeq[d]!++ };
        frames.push({ key: frame.deviceId, value: serde.encode(image, frame), timestamp: String(now) });
      }
    }
    return [
      { topic: audio.name, messages: chunks },
      { topic: image.name, messages: frames },
    ].filter((t) => t.messages.length > 0);
  };

  const closers = new Map<string, { sentAt: number; partition: number; appendedAt: number }>();
  let sensorSent = 0;
  let otherSent = 0;
  let lagWarnings = 0;
  const t0 = Date.now();
  const cpu0 = process.threadCpuUsage();
  try {
    for (let tick = 0; Date.now() - t0 < seconds * 1000; tick++) {
      const wait = t0 + tick * TICK_MS - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      else if (wait < -TICK_MS) lagWarnings++;
      const messages: Message[] = [];
      const closedNow: Array<{ partition: number; appendedAt: number }> = [];
      const now = Date.now();
      for (let k = 0; k < perTick; k++) {
        const d = (sensorSent + k) % devices;
        const template = templateOf(d).sensor;
        // Observed over the tick that just ended, in send order: a device's readings in a request are its last
        // 100 ms, each at its own time (never in the future).
        const eventTimeMs = now - Math.round(((perTick - 1 - k) / perTick) * TICK_MS);
        const reading: SensorReading = { deviceId: ids[d]!, eventTimeMs, seq: seq[d]!, values: template[seq[d]!++ % template.length]! };
        const message: Message = { key: reading.deviceId, value: serde.encode(sensor, reading), timestamp: String(now) };
        messages.push(message);
        // This event closes every window whose end + lateness it reaches for the first time.
        const closes = Math.floor((eventTimeMs - latenessMs - phases[d]!) / hopMs) * hopMs + phases[d]!;
        const key = `${reading.deviceId}@${closes}`;
        if (!closers.has(key)) {
          const closer = { sentAt: now, partition: partitionOf({ topic: sensor.name, partitionMetadata: sensorPartitions, message }), appendedAt: Number.NaN };
          closers.set(key, closer);
          closedNow.push(closer);
        }
      }
      // One produce request per tick for every modality: sound and images are not queued behind the readings.
      const others = plan.multimodal ? otherModalities(tick, now) : [];
      const appended = await producer.sendBatch({ topicMessages: [{ topic: sensor.name, messages }, ...others], compression: CompressionTypes.None });
      // One record batch per partition per request: every message of a partition has that batch's append time.
      for (const closer of closedNow) {
        const at = Number(appended.find((a) => a.topicName === sensor.name && a.partition === closer.partition)?.logAppendTime);
        if (at > 0) closer.appendedAt = at;
      }
      sensorSent += messages.length;
      otherSent += others.reduce((n, t) => n + t.messages.length, 0);
    }
  } finally {
    await producer.disconnect();
  }
  const cpu = process.threadCpuUsage(cpu0);
  const entries = [...closers];
  return {
    cpuS: (cpu.user + cpu.system) / 1e6,
    niceness,
    startedAt: t0,
    elapsedS: (Date.now() - t0) / 1000,
    sensorSent,
    otherSent,
    lagWarnings,
    closerKeys: entries.map(([key]) => key),
    closerSentAt: Float64Array.from(entries, ([, c]) => c.sentAt),
    closerAppendedAt: Float64Array.from(entries, ([, c]) => c.appendedAt),
  };
}
