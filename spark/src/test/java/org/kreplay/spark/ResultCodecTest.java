package org.kreplay.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kreplay.analyze.AnalysisOptions;
import org.kreplay.ingest.ReadOptions;
import org.kreplay.report.corpus.FileAnalysis;

/** What travels between Spark tasks: every bundled input's result survives it, and merges as before. */
class ResultCodecTest {
  private static final List<byte[]> ENCODED = new ArrayList<>();
  private static final List<String> JSON = new ArrayList<>();

  @BeforeAll
  static void analyseTheBundledInputs() {
    AnalysisOptions analysis = AnalysisOptions.defaults();
    ReadOptions read = ReadOptions.defaults();
    read.probeFrames(analysis.catalog()::probeFrame);
    PrintWriter err = new PrintWriter(new StringWriter());
    for (Path f : Corpora.bundled()) {
      Partial p = Partial.of(FileAnalysis.analyse(f.toString(), read, analysis, err));
      ENCODED.add(ResultCodec.encode(p));
      JSON.add(Corpora.json(Partial.empty(analysis.worst()).add(p)));
    }
  }

  @Test
  void everyInputsResultIsTheSameAfterTheTrip() {
    assertThat(ENCODED).hasSizeGreaterThan(40);
    // the seeds' fixes hand deferrals on: chain rows with their stages are among what travels
    assertThat(JSON).filteredOn(j -> j.contains("\"stages\" : [")).hasSizeGreaterThanOrEqualTo(3);
    for (int i = 0; i < ENCODED.size(); i++) {
      Partial back = ResultCodec.decode(ENCODED.get(i));
      assertThat(Corpora.json(Partial.empty(AnalysisOptions.defaults().worst()).add(back))).isEqualTo(JSON.get(i));
    }
  }

  @Test
  void mergingAfterTheTripEqualsMergingBefore() {
    int worst = AnalysisOptions.defaults().worst();
    // before: decoded once, merged as batch merges; after: each side through the codec once more first
    Partial before = Partial.empty(worst);
    Partial after = Partial.empty(worst);
    for (byte[] e : ENCODED) {
      before.add(ResultCodec.decode(e));
      after.add(ResultCodec.decode(ResultCodec.encode(ResultCodec.decode(e))));
    }
    assertThat(Corpora.json(after)).isEqualTo(Corpora.json(before));
    // and a merged node travels as well as a file's result does
    assertThat(Corpora.json(ResultCodec.decode(ResultCodec.encode(before)))).isEqualTo(Corpora.json(before));
  }

  @Test
  void latencyHistogramsTravelCompressed() {
    // the cyclictest recording: 73,840 events, thousands of latency samples in HdrHistograms
    Path dat = Corpora.ROOT.resolve("traces/cyclictest/trace.dat");
    int i = Corpora.bundled().indexOf(dat);
    assertThat(ENCODED.get(i).length).as("bytes of one trace's result").isLessThan(64 * 1024);
  }

  @Test
  void bytesOfAnotherEncodingAreRefusedWithTheReason() {
    byte[] garbage = {1, 2, 3, 4};
    assertThatThrownBy(() -> ResultCodec.decode(garbage)).hasMessageContaining("cannot decode a batch result");
  }
}
