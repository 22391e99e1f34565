package org.kreplay.report.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crafted trace or log cannot drive the terminal: every control character that comes from an
 * input reaches stdout and stderr escaped ({@code \e} for ESC), in text and Markdown; JSON keeps
 * the exact text under its own escaping.
 */
class TerminalEscapingTest {
  private static final String ESC = "\u001b";
  /** Clears the screen, retitles the window, turns text red. */
  private static final String COMM = "li" + ESC + "[2J" + ESC + "]0;pwned\u0007fe";
  private static final String FUNCTION = "inactive" + ESC + "[31m_task_timer";

  @TempDir Path dir;

  /** Characters a terminal acts on: C0 controls but newline, DEL, C1 controls. */
  private static List<String> controls(String s) {
    return s.chars().filter(c -> (c < 0x20 && c != '\n') || c == 0x7f || (c >= 0x80 && c <= 0x9f))
        .mapToObj(c -> String.format("U+%04X", c)).toList();
  }

  /** The first seed's trace (findings whose evidence names the task and the callback), with hostile names. */
  private Path craftedTrace() throws IOException {
    String seed = Files.readString(Path.of("..", "traces", "seeds", "1-put-task-struct", "before.txt"));
    assertThat(seed).contains("life-2848").contains("inactive_task_timer");
    String crafted = seed.replace("life-2848", COMM + "-2848").replace("inactive_task_timer", FUNCTION)
        + "a pasted line that is no event " + ESC + "[5m\rhidden\n";
    return Files.writeString(dir.resolve("crafted" + ESC + "[1m.txt"), crafted);
  }

  @Test
  void aCraftedTracesNamesAreEscapedInTextAndMarkdown() throws IOException {
    Path t = craftedTrace();
    for (String format : List.of("text", "md")) {
      Cli.Run r = Cli.run("analyze", "-f", format, t.toString());
      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(controls(r.out())).as(format + " stdout").isEmpty();
      assertThat(controls(r.err())).as(format + " stderr").isEmpty();
      // Markdown escapes the backslash of \e once more in its tables
      String e = format.equals("md") ? "\\\\e" : "\\e";
      assertThat(r.out()).as(format).contains("li\\e[2J\\e]0;pwned\\x07fe/2848").contains("crafted" + e);
      assertThat(r.err()).as(format).contains("crafted\\e[1m.txt").contains("\\e[5m\\r");
    }
    Cli.Run findings = Cli.run("analyze", "-q", t.toString());
    assertThat(findings.out()).contains("culprit   inactive\\e[31m_task_timer")
        .contains("li\\e[2J\\e]0;pwned\\x07fe/2848");
    // JSON holds the exact names, escaped by JSON's rules
    String json = Cli.run("analyze", "-q", "-f", "json", t.toString()).out();
    assertThat(controls(json)).isEmpty();
    assertThat(new ObjectMapper().readTree(json).toString()).contains(FUNCTION.replace(ESC, "\\u001B"));
    assertThat(new ObjectMapper().readTree(json).at("/findings/0/culprit").asText()).isEqualTo(FUNCTION);
  }

  @Test
  void compareAndBatchEscapeToo() throws IOException {
    Path t = craftedTrace();
    Cli.Run c = Cli.run("compare", t.toString(), t.toString());
    assertThat(controls(c.out() + c.err())).isEmpty();
    assertThat(c.out()).contains("inactive\\e[31m_task_timer");
    Cli.Run b = Cli.run("batch", t.toString());
    assertThat(controls(b.out() + b.err())).isEmpty();
    assertThat(b.out()).contains("crafted\\e[1m.txt");
  }

  @Test
  void aCraftedKernelLogLineIsEscaped() throws IOException {
    String log = String.join("\n",
        "[    1.000000] Linux version 6.1.0 (builder@host) #1 SMP PREEMPT_RT",
        "[    2.000000] BUG: sleeping function called from invalid context at kernel/locking/rtmutex.c:1\u0007\u0008",
        "[    2.000001] in_atomic(): 1, irqs_disabled(): 1, non_block: 0, pid: 5, name: ev\u0007il\u009b31m",
        "[    2.000002] preempt_count: 1, expected: 0",
        "[    2.000003] CPU: 0 PID: 5 Comm: ev\u0007il\u009b31m Not tainted 6.1.0 #1",
        "[    2.000004] Call Trace:",
        "[    2.000005]  <TASK>",
        "[    2.000006]  dump_stack_lvl+0x10/0x20",
        "[    2.000007]  __might_resched+0x10/0x20",
        "[    2.000008]  rt_spin_lock+0x10/0x20",
        "[    2.000009]  my_driver_poll+0x10/0x20",
        "[    2.000010]  kthread+0x10/0x20",
        "[    2.000011]  </TASK>", "");
    Path f = Files.writeString(dir.resolve("console.log"), log, StandardCharsets.UTF_8);
    for (String format : List.of("text", "md")) {
      Cli.Run r = Cli.run("splat", "--details", "-f", format, f.toString());
      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(controls(r.out() + r.err())).as(format).isEmpty();
      assertThat(r.out()).as(format).contains(format.equals("md") ? "ev\\\\x07il\\\\u009b31m" : "ev\\x07il\\u009b31m");
    }
    Cli.Run a = Cli.run("analyze", f.toString());
    assertThat(controls(a.out() + a.err())).isEmpty();
  }

  @Test
  void errorMessagesEscapeFileNamesAndExcerpts() throws IOException {
    Path named = Files.writeString(dir.resolve("x" + ESC + "]0;title" + "\u0007.txt"), "# tracer: nop\nbad " + ESC + "[2J line\n");
    Cli.Run strict = Cli.run("analyze", "--strict", named.toString());
    assertThat(strict.exit()).isEqualTo(ExitCodes.INPUT);
    assertThat(controls(strict.err())).isEmpty();
    assertThat(strict.err()).contains("x\\e]0;title\\x07.txt:2: not an event line: bad \\e[2J line");
  }
}
