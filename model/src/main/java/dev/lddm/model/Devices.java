package dev.lddm.model;

import static org.tensorflow.internal.c_api.global.tensorflow.TF_CloseSession;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteDeviceList;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteGraph;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteSession;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteSessionOptions;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListCount;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListMemoryBytes;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListName;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListType;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_GetCode;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_Message;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewGraph;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewSession;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewSessionOptions;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_SessionListDevices;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_SetConfig;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.TensorFlow;
import org.tensorflow.internal.c_api.TF_DeviceList;
import org.tensorflow.internal.c_api.TF_Graph;
import org.tensorflow.internal.c_api.TF_Session;
import org.tensorflow.internal.c_api.TF_SessionOptions;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.proto.ConfigProto;

/**
 * What TensorFlow can run on, for the {@code device} command and for failing fast.
 *
 * <p>GPU: build with the Maven profile {@code gpu} (native classifier {@code linux-x86_64-gpu}) and put the
 * CUDA 12.x runtime and cuDNN 9 on the library path (TF 2.18 was built with CUDA 12.5 / cuDNN 9.3; they are
 * not bundled). Without them TensorFlow logs "Could not find cuda drivers" and silently runs on the CPU, so
 * call {@link #requireGpu()} before a run that must use the GPU.
 */
public final class Devices {
  private Devices() {}

  /** One device as TensorFlow names it, e.g. {@code /job:localhost/replica:0/task:0/device:CPU:0}. */
  public record Device(String name, String type, long memoryBytes) {}

  /** The native TensorFlow version (2.18.0 for TF Java 1.1.0). */
  public static String tensorflowVersion() {
    return TensorFlow.version();
  }

  /** Every device a fresh session sees, in TensorFlow's order (asked in a session with one thread each). */
  public static List<Device> list() {
    return list(dev.lddm.model.graph.ModelGraph.sessionConfig(1, 1));
  }

  /**
   * Every device a fresh session with {@code sessionConfig} sees. The first session of a process fixes TensorFlow's
   * shared thread pools for every later one, so a caller that opens its own session next passes that session's
   * threads here.
   */
  public static List<Device> list(ConfigProto sessionConfig) {
    TF_Status status = TF_NewStatus();
    TF_Graph graph = TF_NewGraph();
    TF_SessionOptions opts = TF_NewSessionOptions();
    TF_Session session = null;
    TF_DeviceList devices = null;
    try {
      // The first session of a process fixes TensorFlow's shared thread pools: probe with the caller's threads
      // (TensorFlow's default here would make a later --threads 1 run silently use every core).
      byte[] config = sessionConfig.toByteArray();
      TF_SetConfig(opts, new org.bytedeco.javacpp.BytePointer(config), config.length, status);
      check(status);
      session = TF_NewSession(graph, opts, status);
      check(status);
      devices = TF_SessionListDevices(session, status);
      check(status);
      List<Device> out = new ArrayList<>();
      int n = TF_DeviceListCount(devices);
      for (int i = 0; i < n; i++) {
        String name = TF_DeviceListName(devices, i, status).getString();
        check(status);
        String type = TF_DeviceListType(devices, i, status).getString();
        check(status);
        long mem = TF_DeviceListMemoryBytes(devices, i, status);
        check(status);
        out.add(new Device(name, type, mem));
      }
      return List.copyOf(out);
    } finally {
      if (devices != null) {
        TF_DeleteDeviceList(devices);
      }
      if (session != null) {
        TF_CloseSession(session, status);
        TF_DeleteSession(session, status);
      }
      TF_DeleteSessionOptions(opts);
      TF_DeleteGraph(graph);
      TF_DeleteStatus(status);
    }
  }

  /** Whether a GPU device is visible. */
  public static boolean hasGpu() {
    return list().stream().anyMatch(d -> d.type().equalsIgnoreCase("GPU"));
  }

  /** {@link #requireGpu(ConfigProto)} asked in a session with one thread each. */
  public static void requireGpu() {
    requireGpu(dev.lddm.model.graph.ModelGraph.sessionConfig(1, 1));
  }

  /**
   * Fails fast when no GPU is visible.
   *
   * @param sessionConfig the threads of the session the caller opens next (see
   *     {@link #list(ConfigProto)})
   * @throws IllegalStateException explaining the usual causes (CPU natives, missing CUDA 12 / cuDNN 9)
   */
  public static void requireGpu(ConfigProto sessionConfig) {
    List<Device> devices = list(sessionConfig);
    if (devices.stream().noneMatch(d -> d.type().equalsIgnoreCase("GPU"))) {
      throw new IllegalStateException("no GPU visible to TensorFlow " + tensorflowVersion() + " (devices: "
          + devices.stream().map(Device::type).toList() + "); build with -Pgpu (linux-x86_64-gpu natives) and put"
          + " CUDA 12.x and cuDNN 9 on the library path");
    }
  }

  private static void check(TF_Status status) {
    if (TF_GetCode(status) != 0) {
      throw new IllegalStateException("TensorFlow: " + TF_Message(status).getString());
    }
  }
}
