package dev.lddm.harness.cli;

import dev.lddm.harness.UserDataException;
import dev.lddm.model.Devices;
import java.util.concurrent.Callable;
import org.tensorflow.proto.ConfigProto;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code lddm device}: the TensorFlow version and the devices it sees. */
@Command(name = "device", mixinStandardHelpOptions = true, description = "Print the TensorFlow version and devices.")
public final class DeviceCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    out.println("tensorflow " + Devices.tensorflowVersion());
    for (Devices.Device d : Devices.list()) {
      out.println(d.type() + " " + d.name() + (d.memoryBytes() > 0 ? " " + d.memoryBytes() + " bytes" : ""));
    }
    return 0;
  }

  /**
   * Checks a {@code --device} value: {@code cpu} always works; {@code gpu} fails fast when TensorFlow sees
   * no GPU (it would otherwise silently fall back to the CPU), asking in a session with {@code sessionConfig}'s
   * threads (the first session of a process sizes TensorFlow's thread pools for the caller's session after it).
   */
  static void require(String device, ConfigProto sessionConfig) {
    switch (device) {
      case "cpu" -> { }
      case "gpu" -> {
        try {
          Devices.requireGpu(sessionConfig);
        } catch (IllegalStateException e) {
          throw new UserDataException("--device gpu: " + e.getMessage(), e);
        }
      }
      default -> throw new IllegalArgumentException("Unknown device '" + device + "'. Known: cpu, gpu");
    }
  }
}
