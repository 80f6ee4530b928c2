/**
 * An MVTec-AD-layout category (here MTD `magnetic_tile`) as a device's camera: defect-free images (train/good and
 * test/good) in a per-device seeded order as normal frames; while a fault with an image effect is active, each
 * frame is a defect image (test/<type>) with probability equal to the fault's severity. Frames carry the file's
 * own JPEG/PNG bytes, with size read from the header.
 *
 * @example
 *   const camera = new MvtecReplaySource('dev-0001', category, images, faults, seed, { periodMs: 5000 });
 */
import type { ImageFrame } from '../contracts';
import { FAULT_EFFECTS } from '../faults/fault-catalogue';
import type { DeviceFaults, Fault } from '../faults/fault';
import type { FaultExpression, ModalitySource } from '../device/modality-source';
import { imageHeader } from '../image/image-header';
import { SeededRandom } from '../random/seeded-random';

export const MVTEC_ORIGIN = 'mvtec-layout';

export interface MvtecCategory {
  name: string;
  good: string[];
  /** Defect images by defect type. */
  defects: Record<string, string[]>;
}

/** Image bytes by file path (the repository reads the disk). */
export interface ImageReader {
  read(file: string): Buffer;
}

export class MvtecReplaySource implements ModalitySource<'image'> {
  readonly stream = 'image' as const;
  readonly captureMs = 0;
  readonly origin = MVTEC_ORIGIN;
  readonly periodMs: number;
  private readonly order: string[];
  private readonly defectImages: string[];
  private readonly rng: SeededRandom;

  constructor(
    readonly deviceId: string,
    category: MvtecCategory,
    private readonly images: ImageReader,
    private readonly faults: DeviceFaults,
    seed: number | string,
    config: { periodMs: number },
  ) {
    if (category.good.length === 0) throw new RangeError(`${category.name}: no defect-free images`);
    this.periodMs = config.periodMs;
    this.rng = SeededRandom.forKey(seed, deviceId, 'image-replay');
    this.order = this.rng.shuffled(category.good);
    this.defectImages = Object.values(category.defects).flat();
  }

  expression(fault: Fault): FaultExpression | undefined {
    return FAULT_EFFECTS[fault.type].image && this.defectImages.length > 0 ? { channels: [] } : undefined;
  }

  /** Which file frame `seq` shows: the next good image, or a defect image during a fault. */
  fileFor(seq: number, eventTimeMs: number): { file: string; defect: boolean } {
    const severity = this.faults.severityOf((type) => FAULT_EFFECTS[type].image !== undefined, eventTimeMs);
    // Both draws happen every frame, so the good-image order does not depend on the fault schedule.
    const defectDraw = this.rng.next();
    const defectPick = this.rng.int(Math.max(1, this.defectImages.length));
    if (severity > 0 && defectDraw < severity && this.defectImages.length > 0) return { file: this.defectImages[defectPick]!, defect: true };
    return { file: this.order[seq % this.order.length]!, defect: false };
  }

  sample(seq: number, eventTimeMs: number): ImageFrame {
    const { file } = this.fileFor(seq, eventTimeMs);
    const data = this.images.read(file);
    const header = imageHeader(data);
    return {
      deviceId: this.deviceId,
      eventTimeMs,
      seq,
      width: header.width,
      height: header.height,
      channels: header.channels,
      encoding: header.encoding,
      data,
    };
  }
}
