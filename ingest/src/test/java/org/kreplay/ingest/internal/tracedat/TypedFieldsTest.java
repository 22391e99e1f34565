package org.kreplay.ingest.internal.tracedat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Objects;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.kreplay.ingest.EventKind;
import org.kreplay.ingest.ReadOptions;
import org.kreplay.ingest.TraceEvent;
import org.kreplay.ingest.internal.BodyDecoder;
import org.kreplay.ingest.internal.EventRecord;
import org.kreplay.ingest.internal.Symbols;

/**
 * The typed fields a trace.dat event gets from its record are the ones the text decoder reads
 * from the event's body — so kreplay's CSV/JSON Lines, which keep only the body, read back to the
 * same events — and reading without bodies gives the same typed fields as reading with them.
 */
class TypedFieldsTest {
  static java.util.stream.Stream<TraceDatOracleTest.Case> cases() {
    return TraceDatOracleTest.cases();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void typedFieldsEqualTheDecodedBody(TraceDatOracleTest.Case c) throws IOException {
    BodyDecoder decoder = new BodyDecoder(new Symbols());
    long checked = 0;
    try (TraceDatReader withBodies = TraceDatOracleTest.open(c);
        TraceDatReader without = open(c, false)) {
      EventRecord copy = new EventRecord();
      for (EventRecord e; (e = withBodies.next()) != null; ) {
        TraceEvent bare = without.next();
        assertThat(bare).as("%s: both readings have the same events", c).isNotNull();
        if (e.kind() == EventKind.OTHER || e.kind().isMarker() || e.kind() == EventKind.KERNEL_STACK) continue;
        String what = c + ": " + e;
        copy.copyFrom(e).clearFields();
        assertThat(decoder.decode(copy)).as("%s: the body decodes", what).isTrue();
        assertThat(slots(e)).as("%s: typed fields = decoded body", what).isEqualTo(slots(copy));
        assertThat(slots(bare)).as("%s: typed fields without bodies", what).isEqualTo(slots(e));
        checked++;
      }
      assertThat(without.next()).isNull();
    }
    assertThat(checked).as("%s: events of kinds kreplay decodes", c).isPositive();
  }

  static TraceDatReader open(TraceDatOracleTest.Case c, boolean bodies) throws IOException {
    ReadOptions o = ReadOptions.defaults().readAhead(false).instance(c.instance()).bodies(bodies);
    org.kreplay.ingest.TraceInfo info = new org.kreplay.ingest.TraceInfo(c.name(), org.kreplay.ingest.TraceFormat.TRACE_DAT);
    return c.dat().toString().endsWith(".xz")
        ? TraceDatReader.open(c.name(), new org.tukaani.xz.XZInputStream(java.nio.file.Files.newInputStream(c.dat())), o, info)
        : TraceDatReader.open(c.name(), c.dat(), o, info);
  }

  private static String slots(TraceEvent e) {
    return org.kreplay.ingest.EventFields.fields(e);
  }
}
