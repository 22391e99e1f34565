package org.kreplay.report.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import org.junit.jupiter.api.Test;

class TerminalSafeTest {
  @Test
  void everyControlCharacterIsShownEscaped() {
    assertThat(TerminalSafe.escape("a\u001b[31mb")).isEqualTo("a\\e[31mb");
    assertThat(TerminalSafe.escape("t\tr\rn\nbel\u0007del\u007fnul\u0000")).isEqualTo("t\\tr\\rn\\nbel\\x07del\\x7fnul\\x00");
    assertThat(TerminalSafe.escape("csi\u009b2J")).isEqualTo("csi\\u009b2J"); // C1: an ESC [ for some terminals
    assertThat(TerminalSafe.escape("plain_name.isra.0 äö →")).isEqualTo("plain_name.isra.0 äö →");
    assertThat(TerminalSafe.escapeKeepingLines("one\u001b\ntwo")).isEqualTo("one\\e\ntwo");
  }

  @Test
  void theWriterKeepsLinesAndEscapesTheRest() throws IOException {
    StringWriter out = new StringWriter();
    try (Writer w = TerminalSafe.writer(out)) {
      w.write("line 1 \u001b[2J\n");
      w.write('\u0007');
      w.write("xx\u009by".toCharArray(), 2, 2);
      w.write("abc\rdef", 1, 5);
    }
    assertThat(out.toString()).isEqualTo("line 1 \\e[2J\n\\x07\\u009bybc\\rde");
  }

  @Test
  void tableColumnsAreMeasuredOnTheEscapedText() {
    Table t = new Table("comm", "n>");
    t.row("a\u001bb", "1");
    t.row("abcd", "22");
    assertThat(t.text("")).isEqualTo("comm   n\na\\eb   1\nabcd  22\n");
  }
}
