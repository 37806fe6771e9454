package dev.lddm.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading CSV: spreadsheets' byte-order mark is skipped; parse failures read as plain words. */
class CsvTest {
  @ParameterizedTest
  @ValueSource(strings = {"", "\uFEFF"})
  void parseReadsTheHeaderWithOrWithoutAByteOrderMark(String bom) throws IOException {
    try (CSVParser p = Csv.parse(new StringReader(bom + "input,answer\n\"1,2,3\",x\n"))) {
      assertEquals(List.of("input", "answer"), p.getHeaderNames());
      List<CSVRecord> rows = p.getRecords();
      assertEquals(1, rows.size());
      assertEquals("1,2,3", rows.get(0).get("input"));
    }
  }

  @Test
  void parseOfAFileSkipsTheUtf8ByteOrderMark(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("bom.csv");
    byte[] body = "step,tpe\n0,1.5\n".getBytes(StandardCharsets.UTF_8);
    byte[] bytes = new byte[body.length + 3];
    bytes[0] = (byte) 0xEF;
    bytes[1] = (byte) 0xBB;
    bytes[2] = (byte) 0xBF;
    System.arraycopy(body, 0, bytes, 3, body.length);
    Files.write(f, bytes);
    try (CSVParser p = Csv.parse(f)) {
      assertEquals(List.of("step", "tpe"), p.getHeaderNames());
      assertEquals("1.5", p.getRecords().get(0).get("tpe"));
    }
  }

  @Test
  void withoutBomDropsOnlyALeadingMark() throws IOException {
    assertEquals("abc", read(Csv.withoutBom(new StringReader("\uFEFFabc"))));
    assertEquals("abc", read(Csv.withoutBom(new StringReader("abc"))));
    assertEquals("a\uFEFFb", read(Csv.withoutBom(new StringReader("a\uFEFFb"))));
    assertEquals("", read(Csv.withoutBom(new StringReader(""))));
    assertEquals("", read(Csv.withoutBom(new StringReader("\uFEFF"))));
  }

  @Test
  void describeErrorNamesAnUnbalancedQuote() throws IOException {
    try (CSVParser p = Csv.parse(new StringReader("input,answer\n\"1,2"))) {
      UncheckedIOException e = assertThrows(UncheckedIOException.class, p::getRecords);
      assertEquals("unbalanced quote: the quoted field starting on line 2 is never closed", Csv.describeError(e));
    }
  }

  private static String read(Reader r) throws IOException {
    StringBuilder b = new StringBuilder();
    for (int c; (c = r.read()) >= 0; ) {
      b.append((char) c);
    }
    return b.toString();
  }
}
