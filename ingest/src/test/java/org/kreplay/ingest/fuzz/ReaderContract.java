package org.kreplay.ingest.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.kreplay.ingest.InputProblem;
import org.kreplay.ingest.InputStats;
import org.kreplay.ingest.ReadOptions;
import org.kreplay.ingest.TraceEvent;
import org.kreplay.ingest.TraceFormat;
import org.kreplay.ingest.TraceFormatException;
import org.kreplay.ingest.TraceReader;

/**
 * The contract every trace reader keeps on any input, checked by the fuzz targets: it hands out
 * events, each from its own line in input order, or refuses the input with a
 * {@link TraceFormatException} naming the input and a line of it; no other exception. Every line
 * is accounted for (as many as an independent count finds, when the caller knows it), and
 * {@code --strict} agrees with the lenient read: it stops at the first line the lenient read
 * skipped, for the same reason, and otherwise reads the very same events.
 */
public final class ReaderContract {
  static final String SOURCE = "fuzz";

  /** Opens a reader on {@code in}, named {@value #SOURCE}. */
  @FunctionalInterface
  public interface Opener {
    TraceReader open(InputStream in, ReadOptions options) throws IOException;
  }

  /** What one read gave: the events (counted and digested), the stats, or the refusal. */
  public record Outcome(long events, long digest, InputStats stats, TraceFormatException refusal) {}

  private ReaderContract() {}

  /**
   * Checks the contract on {@code input}; {@code lines} is the independent line count, or -1 where
   * the reader's notion of a line cannot be counted from outside (compressed input).
   */
  public static Outcome check(Opener opener, byte[] input, long lines) throws IOException {
    Outcome lenient = read(opener, input, ReadOptions.defaults().readAhead(false), lines);
    Outcome strict = read(opener, input, ReadOptions.defaults().readAhead(false).strict(true), lines);
    if (lenient.refusal() != null) {
      assertThat(strict.refusal()).as("strict refuses what lenient refuses").isNotNull();
      assertThat(strict.refusal().problem().line()).isLessThanOrEqualTo(lenient.refusal().problem().line());
      return lenient;
    }
    InputStats s = lenient.stats();
    if (lines >= 0) assertThat(s.lines()).as("lines counted").isEqualTo(lines);
    assertThat(s.accountedLines()).as("lines accounted for").isEqualTo(s.lines());
    for (InputProblem p : s.examples()) checkLocation(p, lines);
    if (s.skippedTotal() == 0) {
      assertThat(strict.refusal()).as("strict read of an input without problems").isNull();
      assertThat(strict.events()).isEqualTo(lenient.events());
      assertThat(strict.digest()).as("strict reads the same events").isEqualTo(lenient.digest());
    } else {
      assertThat(strict.refusal()).as("strict stops at a skipped line").isNotNull();
      InputProblem first = s.examples().get(0);
      assertThat(strict.refusal().problem().line()).isEqualTo(first.line());
      assertThat(strict.refusal().problem().reason()).isEqualTo(first.reason());
    }
    return lenient;
  }

  /** Reads every event, checking each as it comes; a refusal is part of the outcome. */
  public static Outcome read(Opener opener, byte[] input, ReadOptions options, long lines) throws IOException {
    long events = 0;
    long digest = 0;
    long lastLine = 0;
    TraceReader r;
    try {
      r = opener.open(new ByteArrayInputStream(input), options);
    } catch (TraceFormatException e) {
      checkLocation(e.problem(), lines);
      return new Outcome(0, 0, null, e);
    }
    // A trace.dat's events carry record offsets, merged across CPUs by time: not ascending.
    boolean lineBased = r.info().format() != TraceFormat.TRACE_DAT;
    try (r) {
      for (TraceEvent e; (e = r.next()) != null; ) {
        if (lineBased) assertThat(e.line()).as("event lines ascend").isGreaterThan(lastLine);
        if (lines >= 0) assertThat(e.line()).as("event line inside the input").isLessThanOrEqualTo(lines);
        lastLine = e.line();
        events++;
        digest = digest * 31 + digest(e);
      }
      return new Outcome(events, digest, r.stats(), null);
    } catch (TraceFormatException e) {
      checkLocation(e.problem(), lines);
      return new Outcome(events, digest, null, e);
    }
  }

  private static void checkLocation(InputProblem p, long lines) {
    assertThat(p.source()).isEqualTo(SOURCE);
    assertThat(p.reason()).isNotBlank();
    assertThat(p.line()).isGreaterThanOrEqualTo(0);
    if (lines >= 0) assertThat(p.line()).as("problem line inside the input").isLessThanOrEqualTo(Math.max(1, lines));
  }

  /** Everything an analysis reads from an event; rendering the body must not fail either. */
  private static long digest(TraceEvent e) {
    long h = e.line();
    h = h * 31 + e.timestamp();
    h = h * 31 + e.cpu();
    h = h * 31 + e.pid();
    h = h * 31 + e.tgid();
    h = h * 31 + e.flags();
    h = h * 31 + java.util.Objects.hashCode(e.comm());
    h = h * 31 + e.name().hashCode();
    h = h * 31 + e.kind().ordinal();
    h = h * 31 + e.body().hashCode();
    h = h * 31 + e.stack().frames().hashCode();
    h = h * 31 + java.util.Objects.hashCode(e.lockClass());
    h = h * 31 + java.util.Objects.hashCode(e.lockType());
    h = h * 31 + org.kreplay.ingest.EventFields.all(e).hashCode();
    return h;
  }
}
