package dev.lddm.model;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class DevicesTest {
  @Test
  void listsTheCpuAndVersion() {
    List<Devices.Device> devices = Devices.list();
    assertTrue(devices.stream().anyMatch(d -> d.type().equals("CPU")), devices.toString());
    assertTrue(Devices.tensorflowVersion().startsWith("2."), Devices.tensorflowVersion());
    if (!Devices.hasGpu()) {
      IllegalStateException e = assertThrows(IllegalStateException.class, Devices::requireGpu);
      assertTrue(e.getMessage().contains("CUDA 12"), e.getMessage());
    }
  }
}
