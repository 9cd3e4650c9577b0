import type * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type { NativeAddon } from './addon.js';

type DataId = object;

/**
 * Most bytes kept for reuse; beyond it, freed arrays go to the garbage collector. A training step keeps all
 * its intermediates alive until its tf.tidy ends (Adam alone makes ~14 per variable), so the pool must hold a
 * whole step's working set to help: about 70 MB for the reference VAE at batch 512.
 */
const POOL_MAX_BYTES = 256 * 1024 * 1024;
/** Arrays below this length are not pooled: allocating them costs less than the bookkeeping. */
const POOL_MIN_LENGTH = 1024;

/**
 * tfjs's cpu backend (MathBackendCPU: tensors as JavaScript typed arrays) whose hot kernels run in the native
 * addon, reading and writing those arrays in place. Everything else, including the data store and all the
 * kernels it does not override, is the cpu backend's.
 *
 * It also recycles the output arrays of native kernels: allocating a fresh large Float32Array (zero-filled,
 * then garbage-collected) cost 0.4–0.7 ms against microseconds for a reused one, about a third of a training
 * step at batch 512. An array is recycled only when nothing else can still see it: it was allocated here, the
 * tensor holding it was disposed, it was never handed out (`readSync`, hence `dataSync`/`data`/`array`/moves
 * to another backend), and no other tensor's data is a view into it (the cpu backend's `Slice` returns views).
 */
export class NativeBackend extends MathBackendCPU {
  readonly addon: NativeAddon;
  private readonly pool = new Map<number, Float32Array[]>();
  private pooledBytes = 0;
  /** Buffers allocated by {@link allocate}: candidates for recycling. */
  private readonly owned = new WeakSet<ArrayBufferLike>();
  /** Owned buffers that escaped (read out, or viewed by another tensor): never recycled. */
  private readonly pinned = new WeakSet<ArrayBufferLike>();

  constructor(addon: NativeAddon) {
    super();
    this.addon = addon;
  }

  /** A float32 array of `length` for a native kernel to overwrite completely (its contents are arbitrary). */
  allocate(length: number): Float32Array {
    if (length >= POOL_MIN_LENGTH) {
      const reused = this.pool.get(length)?.pop();
      if (reused !== undefined) {
        this.pooledBytes -= reused.byteLength;
        return reused;
      }
    }
    // Small arrays are owned too (never pooled): a kernel may then update them in place, as the fused Adam
    // does with biases, and only when it may do so with every variable of a step.
    const fresh = new Float32Array(length);
    this.owned.add(fresh.buffer);
    return fresh;
  }

  /** Stores a native kernel's output as a new tensor's data. */
  output(values: Float32Array, shape: number[]): tf.TensorInfo {
    return { dataId: super.write(values, shape, 'float32'), shape, dtype: 'float32' };
  }

  /** The float32 data of a tensor of this backend. */
  values(tensor: tf.TensorInfo): Float32Array {
    return this.data.get(tensor.dataId).values as Float32Array;
  }

  /**
   * A float32 tensor's data as a Float32Array to read: its own array, or a float32 copy where the cpu backend's
   * cast from bool or int32 left it sharing a Uint8Array or Int32Array (a cast without loss copies nothing).
   * Never write into the result: it may be a copy.
   */
  readFloat32(tensor: tf.TensorInfo): Float32Array {
    const values = this.data.get(tensor.dataId).values;
    return values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>);
  }

  override write(values: tf.backend_util.BackendValues, shape: number[], dtype: tf.DataType): DataId {
    // A tensor whose data is a view into (or the very array of) a pooled buffer pins it: that buffer could
    // otherwise be recycled while the view still reads it.
    if (ArrayBuffer.isView(values) && this.owned.has(values.buffer)) this.pinned.add(values.buffer);
    return super.write(values, shape, dtype);
  }

  override move(dataId: DataId, values: tf.backend_util.BackendValues, shape: number[], dtype: tf.DataType, refCount: number): void {
    if (ArrayBuffer.isView(values) && this.owned.has(values.buffer)) this.pinned.add(values.buffer);
    super.move(dataId, values, shape, dtype, refCount);
  }

  override readSync(dataId: DataId): tf.backend_util.BackendValues {
    // (`has` first: DataStorage.get of an unknown id would try to move the data in from another backend.)
    const values = this.data.has(dataId) ? this.data.get(dataId).values : undefined;
    if (values !== undefined && ArrayBuffer.isView(values)) this.pinned.add(values.buffer);
    return super.readSync(dataId);
  }

  override disposeData(dataId: DataId, force = false): boolean {
    const values = this.data.has(dataId) ? this.data.get(dataId).values : undefined;
    const released = super.disposeData(dataId, force);
    if (released && values instanceof Float32Array) this.recycle(values);
    return released;
  }

  private recycle(values: Float32Array): void {
    const buffer = values.buffer;
    if (values.length < POOL_MIN_LENGTH || !this.owned.has(buffer) || this.pinned.has(buffer) || values.byteOffset !== 0 || values.byteLength !== buffer.byteLength) return;
    // A disposed tensor never comes back, but its buffer may still hold data of another live tensor that
    // shares the dataId (reshape, identity): those share the dataId itself, so refCount covers them.
    let list = this.pool.get(values.length);
    if (list === undefined) {
      list = [];
      this.pool.set(values.length, list);
    }
    if (this.pooledBytes + values.byteLength > POOL_MAX_BYTES || list.includes(values)) return;
    list.push(values);
    this.pooledBytes += values.byteLength;
  }

  /**
   * Whether a native kernel may overwrite this tensor's data in place: a Float32Array this backend allocated,
   * never handed out or viewed (not pinned), whole (not a view itself), held by this one tensor only (refCount 1:
   * no clone, reshape or other alias shares the data id).
   */
  exclusive(tensor: tf.TensorInfo): boolean {
    if (!this.data.has(tensor.dataId)) return false;
    const entry = this.data.get(tensor.dataId);
    const values = entry.values;
    return (
      entry.refCount === 1 && values instanceof Float32Array && this.owned.has(values.buffer) && !this.pinned.has(values.buffer) &&
      values.byteOffset === 0 && values.byteLength === values.buffer.byteLength
    );
  }

  /** Returns a scratch array from {@link allocate} that no tensor ever held to the pool. */
  releaseScratch(values: Float32Array): void {
    this.recycle(values);
  }

  /** Frees the recycled arrays (they are garbage-collected). */
  clearPool(): void {
    this.pool.clear();
    this.pooledBytes = 0;
  }

  override dispose(): void {
    this.clearPool();
    super.dispose();
  }
}
