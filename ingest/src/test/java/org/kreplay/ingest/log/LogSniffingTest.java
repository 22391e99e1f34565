package org.kreplay.ingest.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.kreplay.ingest.ReadOptions;
import org.kreplay.ingest.TraceFormatException;
import org.kreplay.ingest.TraceReader;
import org.kreplay.ingest.Traces;

/**
 * Content sniffing routes each input to the right reader in both directions: every test log is a
 * log (and Traces refuses it with a pointer to `kreplay splat`), and no real trace in the
 * repository — ftrace text, trace-cmd report in all its flavours, with stack traces — is one.
 */
class LogSniffingTest {
  /** The repository's recorded traces (tests run in ingest/). */
  static List<Path> realTraces() throws IOException {
    try (Stream<Path> files = Files.walk(Path.of("../traces"))) {
      return files.filter(Files::isRegularFile).filter(p -> {
        String n = p.getFileName().toString();
        return n.equals("before.txt") || n.equals("after.txt") || n.matches("(trace|report)(-[a-zA-Z0-9]+)?\\.txt\\.xz");
      }).sorted().collect(Collectors.toList());
    }
  }

  static List<Path> traceResources() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("src/test/resources/text"))) {
      return files.sorted().collect(Collectors.toList());
    }
  }

  static List<String> logs() {
    return TestLogs.names();
  }

  @Test
  void thereAreRealTracesToCheck() throws IOException {
    assertThat(realTraces()).hasSizeGreaterThanOrEqualTo(15);
  }

  @ParameterizedTest
  @MethodSource("logs")
  void everyTestLogIsALog(String name) throws IOException {
    byte[] log = TestLogs.bytes(name);
    assertThat(KernelLogs.looksLikeKernelLog(log, log.length)).isTrue();
    // Traces looks at 4 KiB only; a log's start is enough to tell.
    assertThat(KernelLogs.looksLikeKernelLog(log, Math.min(log.length, 4096))).isTrue();
    assertThatThrownBy(() -> Traces.open(name, new ByteArrayInputStream(log), ReadOptions.defaults()).close())
        .isInstanceOf(TraceFormatException.class)
        .hasMessage(name + ": a kernel log, not a trace: read its reports with `kreplay splat`");
  }

  @ParameterizedTest
  @MethodSource({"realTraces", "traceResources"})
  void noRealTraceIsALog(Path trace) throws IOException {
    assertThat(KernelLogs.looksLikeKernelLog(trace)).isFalse();
    try (TraceReader r = Traces.open(trace.toString(), ReadOptions.defaults().readAhead(false))) {
      assertThat(r.next()).isNotNull(); // and the trace reader still takes it
    }
  }

  @Test
  void aLogWithoutAnyReportIsStillALog() {
    byte[] boot = TestLogs.bytes("boot-normal-2.6.32.log");
    assertThat(KernelLogs.looksLikeKernelLog(boot, boot.length)).isTrue();
  }

  @Test
  void textThatIsNeitherIsNotALog() {
    for (String text : List.of("", "\n\n", "hello world\nthis is a README\n", "irq:irq_handler_entry\nirq:softirq_raise\n",
        "# tracer: nop\n#\n", "{\"ts_ns\":1}\n")) {
      byte[] b = text.getBytes(StandardCharsets.UTF_8);
      assertThat(KernelLogs.looksLikeKernelLog(b, b.length)).as(text).isFalse();
    }
  }

  @Test
  void aSingleReportPastedWithoutPrefixesIsALog() {
    byte[] b = String.join("\n", LogFormatsTest.REPORT).getBytes(StandardCharsets.UTF_8);
    assertThat(KernelLogs.looksLikeKernelLog(b, b.length)).isTrue();
  }

  @Test
  void aTraceWithKernelLogLinesQuotedInItStaysATrace() {
    String trace = String.join("\n",
        "# tracer: nop",
        "#",
        "# entries-in-buffer/entries-written: 4/4   #P:2",
        "          <idle>-0       [001] d.h1.   163.910989: console: [  163.910989] BUG: sleeping function called",
        "          <idle>-0       [001] d.h1.   163.910990: console: [  163.910990] Call Trace:",
        "          <idle>-0       [001] d.h1.   163.910991: irq_handler_entry: irq=24 name=eth0",
        "          <idle>-0       [001] d.h1.   163.910992: irq_handler_exit: irq=24 ret=handled",
        "");
    byte[] b = trace.getBytes(StandardCharsets.UTF_8);
    assertThat(KernelLogs.looksLikeKernelLog(b, b.length)).isFalse();
  }
}
