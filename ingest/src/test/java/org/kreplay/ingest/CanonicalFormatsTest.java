package org.kreplay.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** kreplay's canonical CSV and JSON Lines: every readable trace converts and reads back the same. */
class CanonicalFormatsTest {
  interface Writer {
    EventWriter open(ByteArrayOutputStream out) throws IOException;
  }

  private static byte[] write(List<TraceEvent> events, Writer w) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (EventWriter ew = w.open(out)) {
      for (TraceEvent e : events) ew.write(e);
    }
    return out.toByteArray();
  }

  private static void assertSameEvents(List<TraceEvent> expected, List<TraceEvent> actual) {
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      TraceEvent e = expected.get(i);
      TraceEvent a = actual.get(i);
      String where = "event " + i + ": " + e;
      assertThat(a.toString()).as(where).isEqualTo(e.toString());
      assertThat(a.flags()).as(where).isEqualTo(e.flags());
      assertThat(a.kind()).as(where).isEqualTo(e.kind());
      assertThat(a.tgid()).as(where).isEqualTo(e.tgid());
      assertThat(EventFields.all(a)).as(where).isEqualTo(EventFields.all(e));
      assertThat(a.prevComm()).as(where).isEqualTo(e.prevComm());
      assertThat(a.prevState()).as(where).isEqualTo(e.prevState());
      assertThat(a.nextComm()).as(where).isEqualTo(e.nextComm());
      assertThat(a.nextPid()).as(where).isEqualTo(e.nextPid());
      assertThat(a.nextPrio()).as(where).isEqualTo(e.nextPrio());
      assertThat(a.lockClass()).as(where).isEqualTo(e.lockClass());
      assertThat(a.lockType()).as(where).isEqualTo(e.lockType());
      assertThat(a.stack().frames()).as(where).isEqualTo(e.stack().frames());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "text/cyclictest-trace.txt", "text/cyclictest-report.txt", "text/cyclictest-report-l.txt",
    "text/cyclictest-report-R.txt", "text/special-events.txt"
  })
  void csvAndJsonlReadBackToTheSameEvents(String resource) throws IOException {
    List<TraceEvent> original = TestTraces.readResource(resource, ReadOptions.defaults()).events();
    byte[] csv = write(original, EventWriter::csv);
    TestTraces.Result fromCsv = TestTraces.read("events.csv", new ByteArrayInputStream(csv), ReadOptions.defaults());
    assertThat(fromCsv.info().format()).isEqualTo(TraceFormat.CANONICAL_CSV);
    assertThat(fromCsv.stats().skippedTotal()).isZero();
    assertSameEvents(original, fromCsv.events());

    byte[] jsonl = write(original, EventWriter::jsonl);
    TestTraces.Result fromJsonl = TestTraces.read("events.jsonl", new ByteArrayInputStream(jsonl), ReadOptions.defaults());
    assertThat(fromJsonl.info().format()).isEqualTo(TraceFormat.CANONICAL_JSONL);
    assertThat(fromJsonl.stats().skippedTotal()).isZero();
    assertSameEvents(original, fromJsonl.events());
    // and the conversion is stable: writing what was read gives the same bytes
    assertThat(write(fromCsv.events(), EventWriter::csv)).isEqualTo(csv);
    assertThat(write(fromJsonl.events(), EventWriter::jsonl)).isEqualTo(jsonl);
  }

  @Test
  void csvHeaderAndUnknownFlagsLookAsDocumented() throws IOException {
    List<TraceEvent> events = TestTraces.readResource("text/cyclictest-report.txt", ReadOptions.defaults()).events();
    String csv = new String(write(events.subList(0, 1), EventWriter::csv), StandardCharsets.UTF_8);
    assertThat(csv).startsWith("# kreplay-events schema_version=1\n"
        + "ts_ns,cpu,pid,tgid,comm,irqs_off,bh_off,need_resched,hardirq,softirq,nmi,preempt_depth,"
        + "migrate_disable,event,body,stack,lock,lock_type,read,try\n"
        + "410961313000,0,3890,,cyclictest,,,,,,,,,sched_switch,cyclictest:3890 [19] S ==> swapper/0:0 [120],,,,,\n");
    String jsonl = new String(write(events.subList(0, 1), EventWriter::jsonl), StandardCharsets.UTF_8);
    assertThat(jsonl).isEqualTo("{\"kreplay\":\"events\",\"schema_version\":1}\n{\"ts_ns\":410961313000,\"cpu\":0,"
        + "\"pid\":3890,\"comm\":\"cyclictest\",\"event\":\"sched_switch\",\"body\":\"cyclictest:3890 [19] S ==> swapper/0:0 [120]\"}\n");
  }

  @Test
  void handWrittenCsvWithLockColumns() throws IOException {
    String csv = String.join("\n",
        "ts_ns,cpu,pid,comm,irqs_off,preempt_depth,event,body,lock,lock_type,read,try",
        "1000,0,7,bpf,1,1,lock_acquire,0000000000000001 &rq->__lock,,raw_spinlock_t,0,0",
        "2000,0,7,bpf,1,2,lock_acquire,0000000000000002 srcu_node,,raw_spinlock_t,0,1",
        "3000,1,9,kworker/1:0,0,0,my_custom_event,whatever=1,&p->pi_lock,raw_spinlock_t,2,0",
        "");
    TestTraces.Result r = TestTraces.read("scenario.csv", new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), ReadOptions.defaults());
    assertThat(r.events()).hasSize(3);
    TraceEvent a = r.event(0);
    assertThat(a.kind()).isEqualTo(EventKind.LOCK_ACQUIRE);
    assertThat(a.lockClass()).isEqualTo("&rq->__lock");
    assertThat(a.lockType()).isEqualTo("raw_spinlock_t");
    assertThat(ContextFlags.irqsOff(a.flags())).isTrue();
    assertThat(ContextFlags.bhKnown(a.flags())).isFalse();
    assertThat(ContextFlags.preemptDepth(a.flags())).isEqualTo(1);
    assertThat(r.event(1).lockTry()).isTrue();
    assertThat(r.event(2).lockClass()).isEqualTo("&p->pi_lock");
    assertThat(r.event(2).lockRead()).isEqualTo(2);
    assertThat(r.event(2).kind()).isEqualTo(EventKind.OTHER);
  }

  @Test
  void badCanonicalRowsAreSkippedWithTheirLineNumbers() throws IOException {
    String csv = String.join("\n",
        "# kreplay-events schema_version=1",
        "ts_ns,cpu,pid,comm,event,body",
        "1000,0,7,a,softirq_raise,vec=1",
        "xx,0,7,a,softirq_raise,vec=1",
        "3000,0,7,a,softirq_raise,no vector here",
        "4000,0,7",
        "5000,0,7,a,softirq_raise,vec=2",
        "");
    TestTraces.Result r = TestTraces.read("bad.csv", new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), ReadOptions.defaults());
    assertThat(r.events()).extracting(TraceEvent::timestamp).containsExactly(1000L, 5000L);
    assertThat(r.stats().examples()).extracting(InputProblem::line).containsExactly(4L, 5L, 6L);
    assertThat(r.stats().examples().get(0).excerpt()).contains("ts_ns is not a number");
    assertThat(r.stats().lines()).isEqualTo(7);
    assertThat(r.stats().accountedLines()).isEqualTo(r.stats().lines());
    assertThatThrownBy(() -> TestTraces.read("bad.csv", new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)),
        ReadOptions.defaults().strict(true)))
        .isInstanceOf(TraceFormatException.class)
        .hasMessageStartingWith("bad.csv:4: invalid kreplay event: ts_ns is not a number");
  }

  @Test
  void everyCsvLineIsAccountedForAndEventsKeepTheLineTheyBeginOn() throws IOException {
    String csv = String.join("\n",
        "# kreplay-events schema_version=1",
        "ts_ns,cpu,pid,comm,event,body",
        "",
        "1000,0,7,a,softirq_raise,vec=1",
        "# a comment",
        "2000,0,7,a,bprint,\"two",
        "lines\"",
        "",
        "3000,0,7,a,softirq_raise,vec=2",
        "# trailing comment",
        "");
    TestTraces.Result r = TestTraces.read("lines.csv", new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), ReadOptions.defaults());
    assertThat(r.events()).extracting(TraceEvent::line).containsExactly(4L, 6L, 9L);
    InputStats s = r.stats();
    assertThat(s.lines()).isEqualTo(10);
    assertThat(s.headerLines()).as("the magic line, the header row, a comment, the trailing comment").isEqualTo(4);
    assertThat(s.blankLines()).isEqualTo(2);
    assertThat(s.continuationLines()).isEqualTo(1);
    assertThat(s.accountedLines()).isEqualTo(s.lines());
  }

  @Test
  void badJsonLinesAreSkippedWithTheirLineNumbers() throws IOException {
    String jsonl = String.join("\n",
        "{\"kreplay\":\"events\",\"schema_version\":1}",
        "{\"ts_ns\":1,\"cpu\":0,\"event\":\"softirq_raise\",\"body\":\"vec=3\"}",
        "{\"ts_ns\":2,\"cpu\":0,\"event\":\"softirq_raise\",\"body\":",
        "{\"ts_ns\":3,\"cpu\":0,\"event\":\"softirq_raise\",\"body\":\"vec=4\",\"colour\":\"red\"}",
        "",
        "{\"ts_ns\":5,\"cpu\":0,\"irqs_off\":true,\"event\":\"softirq_raise\",\"body\":\"vec=5\",\"stack\":[\"a\",\"b\"]}");
    TestTraces.Result r = TestTraces.read("x.jsonl", new ByteArrayInputStream(jsonl.getBytes(StandardCharsets.UTF_8)), ReadOptions.defaults());
    assertThat(r.events()).extracting(TraceEvent::vector).containsExactly(3, 5);
    assertThat(r.event(1).stack().frames()).containsExactly("a", "b");
    assertThat(r.stats().examples()).extracting(InputProblem::line).containsExactly(3L, 4L);
    assertThat(r.stats().skipped()).containsOnlyKeys("malformed JSON", "invalid kreplay event");
    assertThat(r.stats().accountedLines()).isEqualTo(r.stats().lines());
  }

  @Test
  void aNewerSchemaIsRefusedRatherThanMisread() {
    String csv = "# kreplay-events schema_version=2\nts_ns,event\n1,x\n";
    assertThatThrownBy(() -> TestTraces.read("v2.csv", new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), ReadOptions.defaults()))
        .isInstanceOf(TraceFormatException.class)
        .hasMessageContaining("v2.csv:1: unsupported kreplay CSV schema_version 2");
  }
}
