package dev.lddm.model.graph;

import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/** Small helpers to move Java arrays in and out of tensors. Callers close the tensors they get. */
public final class Tensors {
  private Tensors() {}

  /** An int32 tensor of the given shape over a copy of {@code data}. */
  public static TInt32 ints(int[] data, long... shape) {
    return TInt32.tensorOf(Shape.of(shape), DataBuffers.of(data, true, false));
  }

  /** An int64 tensor of the given shape over a copy of {@code data}. */
  public static TInt64 longs(long[] data, long... shape) {
    return TInt64.tensorOf(Shape.of(shape), DataBuffers.of(data, true, false));
  }

  /** A float32 tensor of the given shape over a copy of {@code data}. */
  public static TFloat32 floats(float[] data, long... shape) {
    return TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(data, true, false));
  }

  /** A float32 scalar. */
  public static TFloat32 scalar(float v) {
    return TFloat32.scalarOf(v);
  }

  /** All values of a float32 tensor, row-major. */
  public static float[] read(Tensor t) {
    TFloat32 f = (TFloat32) t;
    float[] out = new float[Math.toIntExact(f.size())];
    f.copyTo(DataBuffers.of(out, false, false));
    return out;
  }

  /** The value of a float32 scalar tensor. */
  public static float readScalar(Tensor t) {
    return ((TFloat32) t).getFloat();
  }
}
