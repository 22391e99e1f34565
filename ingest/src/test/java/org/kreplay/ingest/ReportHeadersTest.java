package org.kreplay.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Where a further (syzkaller) report header counts, and where it is prose. */
class ReportHeadersTest {
  private static final ReportHeaders HEADERS = new ReportHeaders(List.of(
      new ReportHeaders.Header("BUG:", List.of(Pattern.compile("ODEBUG:"))),
      new ReportHeaders.Header("WARNING:", List.of(Pattern.compile("WARNING: [Tt]he mand mount option"))),
      new ReportHeaders.Header("Kernel panic", List.of()),
      new ReportHeaders.Header("general protection fault", List.of())));

  private static ReportHeaders.Header find(String line, boolean kernelLine) {
    byte[] b = line.getBytes(StandardCharsets.UTF_8);
    return HEADERS.find(b, 0, b.length, kernelLine);
  }

  @ParameterizedTest(name = "{0} (kernel line: {1}) -> {2}")
  @CsvSource(delimiter = '|', value = {
      "Kernel panic - not syncing: Fatal exception | false | Kernel panic",
      "usb 5-1: WARNING: ath10k USB support is incomplete | false | WARNING:",
      "2018/01/09 14:28:48 BUG: memory leak | false | BUG:",
      "syz-executor7: vmalloc: allocation failure: 3 bytes[   76.471107] BUG: unable to handle | false | BUG:",
      "segment-related general protection fault: beec [#2] PREEMPT SMP | true | general protection fault",
      "segment-related general protection fault: beec [#2] PREEMPT SMP | false | ",
      "logs with their lockdep and `BUG:` reports — and rebuilds | false | ",
      "  1. sleep-in-atomic, certain: BUG: sleeping function called | false | ",
      "# Source: syzbot, \"[syzbot] WARNING: bad unlock balance in x\" | false | ",
      "xBUG: not at a word start | true | ",
      "ODEBUG: BUG: object is on stack | true | ",
      "WARNING: the mand mount option is being deprecated | true | "})
  void isFoundWhereSyzkallersLogsPutIt(String line, boolean kernelLine, String header) {
    ReportHeaders.Header h = find(line, kernelLine);
    assertThat(h == null ? null : h.text()).isEqualTo(header);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {"WARNING: the mand mount option is being deprecated | true",
      "WARNING: CPU: 0 PID: 1 at kernel/x.c:1 f+0x1/0x2 | false"})
  void anIgnoredHeaderLineIsSaidToStartNothing(String line, boolean ignored) {
    byte[] b = line.getBytes(StandardCharsets.UTF_8);
    assertThat(HEADERS.ignores(b, 0, b.length, true)).isEqualTo(ignored);
  }
}
