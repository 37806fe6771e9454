package dev.lddm.harness.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartsTest {
  @Test
  void writesReadablePngsPerTask(@TempDir Path dir) throws Exception {
    List<Path> pngs = Charts.leaderboardCharts(dir, LeaderboardGoldenTest.rows());
    assertEquals(4, pngs.size(), pngs.toString()); // two tasks, two charts each
    for (Path p : pngs) {
      BufferedImage img = ImageIO.read(p.toFile());
      assertTrue(img.getWidth() > 100 && img.getHeight() > 100, p.toString());
    }
  }
}
