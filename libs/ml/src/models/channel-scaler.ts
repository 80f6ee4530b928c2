/**
 * Per-channel standardisation (x − mean) / std, fitted on training data and stored with the model, so a saved
 * model takes raw sensor values. Channels that were constant in training get std 1 (not ∞ or NaN): any later
 * change on them then shows up as reconstruction error in the channel's own units.
 *
 * @example
 *   const scaler = ChannelScaler.fit(rows, 14);          // rows: Float32Array [n][14]
 *   const z = scaler.transform(windowData);              // any [..][14] layout
 */

export interface ChannelScalerState {
  mean: number[];
  std: number[];
}

/** Below this a channel counts as constant (relative to its magnitude). */
const MIN_RELATIVE_STD = 1e-8;

export class ChannelScaler {
  private constructor(
    readonly mean: Float64Array,
    readonly std: Float64Array,
  ) {}

  get channels(): number {
    return this.mean.length;
  }

  /** Fits on `data` laid out `[n][channels]`; non-finite values are skipped. */
  static fit(data: ArrayLike<number>, channels: number): ChannelScaler {
    if (data.length % channels !== 0) throw new Error(`data length ${data.length} is not a multiple of ${channels} channels`);
    const sum = new Float64Array(channels);
    const sumSq = new Float64Array(channels);
    const count = new Float64Array(channels);
    for (let i = 0; i < data.length; i++) {
      const value = data[i]!;
      if (!Number.isFinite(value)) continue;
      const c = i % channels;
      sum[c]! += value;
      count[c]! += 1;
    }
    const mean = sum.map((s, c) => (count[c]! > 0 ? s / count[c]! : 0));
    for (let i = 0; i < data.length; i++) {
      const value = data[i]!;
      if (!Number.isFinite(value)) continue;
      const c = i % channels;
      sumSq[c]! += (value - mean[c]!) ** 2;
    }
    const std = sumSq.map((s, c) => {
      const sd = count[c]! > 1 ? Math.sqrt(s / (count[c]! - 1)) : 0;
      return sd > MIN_RELATIVE_STD * Math.max(1, Math.abs(mean[c]!)) ? sd : 1;
    });
    return new ChannelScaler(mean, std);
  }

  static fromState(state: ChannelScalerState): ChannelScaler {
    if (state.mean.length !== state.std.length) throw new Error('scaler mean and std differ in length');
    if (state.std.some((s) => !(s > 0))) throw new Error('scaler std must be positive');
    return new ChannelScaler(Float64Array.from(state.mean), Float64Array.from(state.std));
  }

  toState(): ChannelScalerState {
    return { mean: Array.from(this.mean), std: Array.from(this.std) };
  }

  /** Standardises `[..][channels]` data into a new array. */
  transform(data: Float32Array): Float32Array {
    const out = new Float32Array(data.length);
    const channels = this.channels;
    for (let i = 0; i < data.length; i++) {
      const c = i % channels;
      out[i] = (data[i]! - this.mean[c]!) / this.std[c]!;
    }
    return out;
  }

  /** Undoes `transform`. */
  inverse(data: Float32Array): Float32Array {
    const out = new Float32Array(data.length);
    const channels = this.channels;
    for (let i = 0; i < data.length; i++) {
      const c = i % channels;
      out[i] = data[i]! * this.std[c]! + this.mean[c]!;
    }
    return out;
  }
}
