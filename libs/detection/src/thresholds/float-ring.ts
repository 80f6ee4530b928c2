/**
 * Fixed-capacity ring of doubles, for the peaks SPOT keeps and the window DSPOT averages: constant memory,
 * no allocation on push, and an exact, compact serialised form (base64 of little-endian float64s, about
 * 11 characters a value instead of up to 24 in decimal JSON).
 *
 * The storage order (not the logical order) is what gets serialised, together with the cursor: sums over
 * the ring are then taken in the same order after a resume, so results are bit-identical.
 *
 * @example
 *   const ring = new FloatRing(3);
 *   ring.push(1); ring.push(2); ring.push(3); ring.push(4); // holds 2, 3, 4; `ring.values` is [4, 2, 3]
 *   const copy = FloatRing.fromJSON(ring.toJSON());
 */

export interface FloatRingState {
  capacity: number;
  /** Slots in use (≤ capacity). */
  size: number;
  /** Next slot to write. */
  cursor: number;
  /** base64 of the first `size` slots, little-endian float64. */
  data: string;
}

export class FloatRing {
  /** Backing slots; only the first `size` hold values, in storage order. */
  readonly values: Float64Array;
  private sizeInUse = 0;
  private cursorAt = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ring capacity must be a positive integer, got ${capacity}`);
    this.values = new Float64Array(capacity);
  }

  /** A full ring holding `values` (storage order) with the given cursor. */
  static fromValues(values: Float64Array, cursor: number): FloatRing {
    const ring = new FloatRing(values.length);
    ring.values.set(values);
    ring.sizeInUse = values.length;
    ring.cursorAt = cursor;
    return ring;
  }

  /** Next slot to write. */
  get cursor(): number {
    return this.cursorAt;
  }

  get size(): number {
    return this.sizeInUse;
  }

  get isFull(): boolean {
    return this.sizeInUse === this.capacity;
  }

  /** Value that the next push overwrites (the oldest), or undefined while the ring is not full. */
  get oldest(): number | undefined {
    return this.isFull ? this.values[this.cursorAt] : undefined;
  }

  /** Adds a value, overwriting the oldest when full. */
  push(value: number): void {
    this.values[this.cursorAt] = value;
    this.cursorAt = this.cursorAt + 1 === this.capacity ? 0 : this.cursorAt + 1;
    if (this.sizeInUse < this.capacity) this.sizeInUse++;
  }

  /** True right after a push that wrapped the cursor to slot 0. */
  get wrapped(): boolean {
    return this.cursorAt === 0 && this.sizeInUse > 0;
  }

  /** Sum of stored values in storage order. */
  sum(): number {
    let total = 0;
    for (let i = 0; i < this.sizeInUse; i++) total += this.values[i]!;
    return total;
  }

  toJSON(): FloatRingState {
    const bytes = new Uint8Array(this.sizeInUse * 8);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < this.sizeInUse; i++) view.setFloat64(i * 8, this.values[i]!, true);
    return { capacity: this.capacity, size: this.sizeInUse, cursor: this.cursorAt, data: Buffer.from(bytes).toString('base64') };
  }

  static fromJSON(state: FloatRingState): FloatRing {
    const ring = new FloatRing(state.capacity);
    const bytes = Buffer.from(state.data, 'base64');
    if (!Number.isInteger(state.size) || state.size < 0 || state.size > state.capacity || bytes.length !== state.size * 8) {
      throw new RangeError(`ring state holds ${bytes.length} bytes for size ${state.size} (capacity ${state.capacity})`);
    }
    if (!Number.isInteger(state.cursor) || state.cursor < 0 || state.cursor >= state.capacity) {
      throw new RangeError(`ring cursor ${state.cursor} outside [0, ${state.capacity})`);
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < state.size; i++) ring.values[i] = view.getFloat64(i * 8, true);
    ring.sizeInUse = state.size;
    ring.cursorAt = state.cursor;
    return ring;
  }
}
