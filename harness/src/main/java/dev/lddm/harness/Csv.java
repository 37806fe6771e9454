package dev.lddm.harness;

import java.io.IOException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** The project's CSV dialect: RFC 4180, {@code \n} line ends, a header row. */
public final class Csv {
  private Csv() {}

  /** RFC 4180 with Unix line endings, so files are byte-identical across platforms. */
  public static final CSVFormat FORMAT =
      CSVFormat.RFC4180.builder().setRecordSeparator('\n').get();

  /** A printer that has already written the header. */
  public static CSVPrinter printer(Appendable out, String... header) throws IOException {
    return new CSVPrinter(out, FORMAT.builder().setHeader(header).get());
  }

  /** A reader format that takes the header from the first record and tolerates blank lines. */
  public static final CSVFormat READER =
      FORMAT.builder()
          .setHeader()
          .setSkipHeaderRecord(true)
          .setIgnoreEmptyLines(true)
          .get();
}
