/**
 * The pipeline bench's load: every device's sensor readings in real time (one produce request per 100 ms tick),
 * and with `multimodal` 1 s of sound per second and a 32×32 thermal frame every 5 s per device, spread over the
 * ticks. It records, for each (device, window end), the event that closes that window — the first reading at or
 * past window end + lateness — with when it was sent and when the broker appended it (the sensor topic stamps
 * LogAppendTime): where the bench starts counting a window's latency.
 *
 * It runs in a worker thread of its own at a lower scheduling priority (`load-generator.worker.ts`): on the 2-core
 * machine it shares the cores with what it measures, and it stands in for devices that would run elsewhere.
 */
import { type AudioChunk, type ImageFrame, type SensorReading, TOPICS, withSuffix } from '@vigil/contracts';
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
const AUDIO = { sampleRate: 16_000, pcm: Buffer.alloc(16_000 * 2) }; // one second of PCM_S16LE
const IMAGE = { periodMs: 5000, side: 32, data: Buffer.alloc(32 * 32, 128) };
const CHANNELS = ['bearing_temp', 'flow', 'motor_current', 'motor_temp', 'pressure', 'rpm', 'vibration_rms'];
const BASE = [60, 40, 20, 70, 3.5, 1480, 2];

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
  const ids = Array.from({ length: devices }, (_, i) => `bench-${String(i).padStart(5, '0')}`);
  const seq = new Array<number>(devices).fill(0);
  const phases = ids.map((id) => (plan.windowPhase === 'staggered' ? staggeredPhaseMs(id, hopMs) : 0));
  const perTick = (devices * hz * TICK_MS) / 1000;
  const audioSeq = new Array<number>(devices).fill(0);
  const otherModalities = (tick: number, now: number): Array<{ topic: string; messages: Message[] }> => {
    const ticksPerSecond = 1000 / TICK_MS;
    const chunks: Message[] = [];
    const frames: Message[] = [];
    for (let d = tick % ticksPerSecond; d < devices; d += ticksPerSecond) {
      const chunk: AudioChunk = {
        deviceId: ids[d]!,
        eventTimeMs: now,
        seq: audioSeq[d]!,
        sampleRate: AUDIO.sampleRate,
        channels: 1,
        encoding: 'PCM_S16LE',
        pcm: AUDIO.pcm,
      };
      chunks.push({ key: chunk.deviceId, value: serde.encode(audio, chunk), timestamp: String(now) });
      if (audioSeq[d]!++ % (IMAGE.periodMs / 1000) === 0) {
        const frame: ImageFrame = {
          deviceId: ids[d]!,
          eventTimeMs: now,
          seq: audioSeq[d]!,
          width: IMAGE.side,
          height: IMAGE.side,
          channels: 1,
          encoding: 'RAW_U8',
          data: IMAGE.data,
        };
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
        const values: Record<string, number> = {};
        CHANNELS.forEach((c, j) => (values[c] = BASE[j]! * (1 + 0.01 * Math.sin(seq[d]! / 7 + j))));
        const reading: SensorReading = { deviceId: ids[d]!, eventTimeMs: now, seq: seq[d]!++, values };
        const message: Message = { key: reading.deviceId, value: serde.encode(sensor, reading), timestamp: String(now) };
        messages.push(message);
        // This event closes every window whose end + lateness it reaches for the first time.
        const closes = Math.floor((now - latenessMs - phases[d]!) / hopMs) * hopMs + phases[d]!;
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
