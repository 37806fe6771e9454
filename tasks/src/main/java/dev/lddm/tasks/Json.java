package dev.lddm.tasks;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The tiny JSON subset the data files use: one object with two string fields. */
final class Json {
  private static final Pattern EXAMPLE =
      Pattern.compile("\\s*\\{\\s*\"input\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*,"
          + "\\s*\"output\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*}\\s*");

  private Json() {}

  static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  static Example parseExample(String line) {
    Matcher m = EXAMPLE.matcher(line);
    if (!m.matches()) {
      throw new IllegalArgumentException("not an {\"input\": ..., \"output\": ...} line: " + abbreviate(line));
    }
    return new Example(unescape(m.group(1)), unescape(m.group(2)));
  }

  private static String unescape(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\') {
        b.append(c);
        continue;
      }
      char e = s.charAt(++i);
      switch (e) {
        case 'n' -> b.append('\n');
        case 'r' -> b.append('\r');
        case 't' -> b.append('\t');
        case 'u' -> {
          b.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
          i += 4;
        }
        default -> b.append(e);
      }
    }
    return b.toString();
  }

  static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }
}
