package dev.lddm.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CPU a leaderboard row records, read from {@code /proc/cpuinfo}. */
class ProvenanceTest {
  @Test
  void cpuNamesTheFirstProcessorItsFamilyAndItsBf16Instructions(@TempDir Path dir) throws Exception {
    Path amd = dir.resolve("amd");
    Files.writeString(amd, """
        processor\t: 0
        vendor_id\t: AuthenticAMD
        cpu family\t: 25
        model\t\t: 17
        model name\t: AMD EPYC
        flags\t\t: fpu sse2 avx512f avx512_bf16 avx512_vnni

        processor\t: 1
        model name\t: something else
        """);
    assertEquals("AMD EPYC (family 25 model 17; avx512_bf16)", Provenance.describeCpu(amd));
    Path intel = dir.resolve("intel");
    Files.writeString(intel, """
        cpu family\t: 6
        model\t\t: 143
        model name\t: Intel(R) Xeon(R) Platinum 8481C CPU @ 2.70GHz, rev 2
        flags\t\t: avx512f avx512_bf16 amx_bf16 amx_tile
        """);
    assertEquals("Intel(R) Xeon(R) Platinum 8481C CPU @ 2.70GHz rev 2 (family 6 model 143; avx512_bf16 amx_bf16)",
        Provenance.describeCpu(intel));
    Path old = dir.resolve("old");
    Files.writeString(old, "cpu family\t: 6\nmodel\t\t: 85\nmodel name\t: Intel Xeon\nflags\t\t: avx512f\n");
    assertEquals("Intel Xeon (family 6 model 85; no bf16 instructions)", Provenance.describeCpu(old));
    assertEquals(System.getProperty("os.arch"), Provenance.describeCpu(dir.resolve("missing")));
  }

  @Test
  void theCpuColumnNamesEveryMachineOfAResumedCell() {
    String zen4 = "AMD EPYC (family 25 model 17; avx512_bf16)";
    String avx2 = "AMD EPYC (family 23 model 1; no bf16 instructions)";
    assertEquals(zen4, Provenance.cpuColumn(List.of(zen4), zen4));
    assertEquals(zen4, Provenance.cpuColumn(List.of(), zen4)); // a checkpoint from before the record
    assertEquals("train " + zen4 + " then " + avx2 + "; eval " + avx2, Provenance.cpuColumn(List.of(zen4, avx2), avx2));
    assertEquals("train " + zen4 + "; eval " + avx2, Provenance.cpuColumn(List.of(zen4), avx2));
  }
}
