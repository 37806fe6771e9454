package dev.lddm.harness;

import java.io.IOException;
import java.io.PushbackReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;

/**
 * The project's CSV dialect: RFC 4180, {@code \n} line ends, a header row. Read CSV with {@link #parse(Reader)}
 * (or {@link #parse(Path)}), which also accepts the UTF-8 byte-order mark that spreadsheets write.
 */
public final class Csv {
  private Csv() {}

  /** The byte-order mark, U+FEFF, as decoded from UTF-8 ({@code EF BB BF}). */
  private static final int BOM = '\uFEFF';

  /** RFC 4180 with Unix line endings, so files are byte-identical across platforms. */
  public static final CSVFormat FORMAT =
      CSVFormat.RFC4180.builder().setRecordSeparator('\n').get();

  /** A printer that has already written the header. */
  public static CSVPrinter printer(Appendable out, String... header) throws IOException {
    return new CSVPrinter(out, FORMAT.builder().setHeader(header).get());
  }

  /**
   * A reader format that takes the header from the first record and tolerates blank lines. It does not
   * skip a byte-order mark: read through {@link #parse(Reader)}, which does.
   */
  public static final CSVFormat READER =
      FORMAT.builder()
          .setHeader()
          .setSkipHeaderRecord(true)
          .setIgnoreEmptyLines(true)
          .get();

  /**
   * Parses CSV in the {@link #READER} format (header from the first record), skipping a leading byte-order
   * mark (U+FEFF) so that files saved by spreadsheets read like any other. The entry point for every CSV
   * the project reads. Closing the parser closes {@code in}.
   *
   * @param in decoded characters (UTF-8 for files and stdin)
   * @throws IOException if reading the header fails
   * @throws IllegalArgumentException if the header is malformed (a duplicate or empty column name), as
   *     commons-csv reports it; callers turn that into a {@link UserDataException}
   */
  public static CSVParser parse(Reader in) throws IOException {
    return READER.parse(withoutBom(in));
  }

  /** {@link #parse(Reader)} of a UTF-8 file. */
  public static CSVParser parse(Path file) throws IOException {
    return parse(Files.newBufferedReader(file, StandardCharsets.UTF_8));
  }

  private static final Pattern UNCLOSED_QUOTE =
      Pattern.compile("\\(startline (\\d+)\\) EOF reached before encapsulated token finished");

  /**
   * A one-line description of a CSV parse failure thrown while reading records (commons-csv throws
   * {@link UncheckedIOException} from iteration, {@link IllegalArgumentException} for a bad header), e.g.
   * {@code unbalanced quote: the quoted field starting on line 2 is never closed}. For messages like
   * {@code stdin is not valid CSV: ...}.
   */
  public static String describeError(Exception e) {
    Throwable t = e instanceof UncheckedIOException && e.getCause() != null ? e.getCause() : e;
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    Matcher m = UNCLOSED_QUOTE.matcher(message);
    if (m.find()) {
      return "unbalanced quote: the quoted field starting on line " + m.group(1) + " is never closed";
    }
    return Main.oneLine(message);
  }

  /**
   * {@code in} without a leading byte-order mark (U+FEFF), for line-oriented input that is not CSV (e.g.
   * {@code lddm solve}'s stdin). Reads at most one character ahead.
   */
  public static Reader withoutBom(Reader in) throws IOException {
    PushbackReader r = new PushbackReader(in, 1);
    int first = r.read();
    if (first >= 0 && first != BOM) {
      r.unread(first);
    }
    return r;
  }
}
