package org.kreplay.ingest.internal.tracedat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.kreplay.ingest.ReadOptions;
import org.kreplay.ingest.TraceFormat;
import org.kreplay.ingest.TraceInfo;
import org.tukaani.xz.XZInputStream;

/**
 * Byte orders, kernel word sizes and option combinations this machine cannot record: the recorded
 * test files re-encoded by {@link DatWriter} (big-endian, 32-bit kernel, TSC2NSEC and OFFSET
 * options). Their oracles are trace-cmd 3.1.6's reports of exactly these files, written out with
 * {@code -Dkreplay.tracedat.write=DIR} and run through {@code trace-cmd report} (see README.md).
 * trace-cmd here has no zlib, so the zlib files are checked against the reports of the same trace
 * in another compression.
 */
class SyntheticTraceDatTest {
  /** Synthetic files with a trace-cmd oracle. */
  enum Synthetic {
    BE64_V7_ZSTD("be64-v7-zstd", "sched-irq-v7-zstd", new DatWriter.Target().big(true)),
    LE32_V7_NONE("le32-v7-none", "sched-irq-v7-zstd", new DatWriter.Target().bits32(true).compression("none")),
    BE32_V6("be32-v6", "mixed-v6", new DatWriter.Target().big(true).bits32(true).version(6)),
    TSC2NSEC_OFFSET_V7("tsc2nsec-offset-v7-zstd", "sched-irq-v7-zstd", new DatWriter.Target()
        .option(DatFile.OPT_TSC2NSEC, DatWriter.tsc2nsec(Endian.LITTLE, 3355443, 23, 1000))
        .option(DatFile.OPT_OFFSET, DatWriter.text("123456789000")));

    final String name;
    final String source;
    final DatWriter.Target target;

    Synthetic(String name, String source, DatWriter.Target target) {
      this.name = name;
      this.source = source;
      this.target = target;
    }
  }

  static byte[] recorded(String name) throws IOException {
    Path dat = TraceDatOracleTest.RES.resolve(name + ".dat");
    if (Files.exists(dat)) return Files.readAllBytes(dat);
    try (InputStream in = new XZInputStream(Files.newInputStream(TraceDatOracleTest.RES.resolve(name + ".dat.xz")))) {
      return in.readAllBytes();
    }
  }

  static byte[] make(Synthetic s) throws IOException {
    return DatWriter.read(recorded(s.source)).write(s.target);
  }

  static TraceDatReader reader(String name, byte[] data) throws IOException {
    return new TraceDatReader(name, ByteSource.of(data), ReadOptions.defaults().readAhead(false),
        new TraceInfo(name, TraceFormat.TRACE_DAT));
  }

  static OracleReport oracle(String name) throws IOException {
    return OracleReport.read(TraceDatOracleTest.RES.resolve(name + ".report-R.txt.xz"),
        TraceDatOracleTest.RES.resolve(name + ".report-l.txt.xz"), "");
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Synthetic.class)
  void syntheticFileEqualsTraceCmdsReportOfIt(Synthetic s) throws IOException {
    byte[] data = make(s);
    String dir = System.getProperty("kreplay.tracedat.write");
    if (dir != null) Files.write(Path.of(dir).resolve(s.name + ".dat"), data);
    try (TraceDatReader r = reader(s.name, data)) {
      TraceDatOracleTest.assertMatches(s.name, r, oracle(s.name));
    }
  }

  @Test
  void zlibV7ReadsAsTheZstdOriginal() throws IOException {
    byte[] data = DatWriter.read(recorded("sched-irq-v7-zstd")).write(new DatWriter.Target().compression("zlib"));
    try (TraceDatReader r = reader("sched-irq zlib", data)) {
      TraceDatOracleTest.assertMatches("sched-irq zlib", r, oracle("sched-irq-v7-zstd"));
    }
  }

  @Test
  void zlibBigEndian32BitReadsAsTheLittleEndianOne() throws IOException {
    byte[] data = DatWriter.read(recorded("sched-irq-v7-zstd"))
        .write(new DatWriter.Target().compression("zlib").big(true).bits32(true));
    try (TraceDatReader r = reader("sched-irq zlib be32", data)) {
      TraceDatOracleTest.assertMatches("sched-irq zlib be32", r, oracle("le32-v7-none"));
    }
  }

  @Test
  void zlibFromV6ReadsAsTheV6Original() throws IOException {
    byte[] data = DatWriter.read(recorded("mixed-v6")).write(new DatWriter.Target().compression("zlib"));
    try (TraceDatReader r = reader("mixed zlib", data)) {
      TraceDatOracleTest.assertMatches("mixed zlib", r, oracle("mixed-v6"));
    }
  }
}
