package org.kreplay.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/** Opening inputs: compression and format are recognised from content, never from names. */
class TracesTest {
  private static byte[] sample() throws IOException {
    return TestTraces.resource("text/cyclictest-trace.txt").readAllBytes();
  }

  interface Compressor {
    OutputStream wrap(OutputStream out) throws IOException;
  }

  private static byte[] compress(byte[] data, Compressor c) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = c.wrap(bytes)) {
      out.write(data);
    }
    return bytes.toByteArray();
  }

  private static void assertReadsLikePlain(byte[] data, String compression) throws IOException {
    TestTraces.Result plain = TestTraces.read("plain", new ByteArrayInputStream(sample()), ReadOptions.defaults());
    TestTraces.Result r = TestTraces.read("in", new ByteArrayInputStream(data), ReadOptions.defaults());
    assertThat(r.info().compression()).isEqualTo(compression);
    assertThat(r.events()).hasSameSizeAs(plain.events());
    for (int i = 0; i < r.events().size(); i++) {
      assertThat(r.event(i).toString()).isEqualTo(plain.event(i).toString());
    }
  }

  @Test
  void gzip() throws IOException {
    assertReadsLikePlain(compress(sample(), GZIPOutputStream::new), "gzip");
  }

  @Test
  void xz() throws IOException {
    assertReadsLikePlain(compress(sample(), out -> new XZOutputStream(out, new LZMA2Options())), "xz");
  }

  @Test
  void zstd() throws IOException {
    assertReadsLikePlain(compress(sample(), io.airlift.compress.zstd.ZstdOutputStream::new), "zstd");
  }

  @Test
  void filesAreRecognisedByContentNotName(@TempDir Path dir) throws IOException {
    Path misleading = dir.resolve("trace.csv");
    Files.write(misleading, compress(sample(), GZIPOutputStream::new));
    try (TraceReader r = Traces.open(misleading.toString(), ReadOptions.defaults())) {
      int n = 0;
      while (r.next() != null) n++;
      assertThat(n).isEqualTo(87);
      assertThat(r.info().format()).isEqualTo(TraceFormat.FTRACE_TEXT);
      assertThat(r.info().source()).isEqualTo(misleading.toString());
      assertThat(r.inputSize()).isEqualTo(Files.size(misleading));
      assertThat(r.inputBytesRead()).isEqualTo(Files.size(misleading));
    }
  }

  @Test
  void missingFilesAndDirectoriesAreInputErrors(@TempDir Path dir) {
    assertThatThrownBy(() -> Traces.open(dir.resolve("nope.txt").toString(), ReadOptions.defaults()))
        .isInstanceOf(TraceFormatException.class)
        .hasMessageContaining("nope.txt: no such file or directory");
    assertThatThrownBy(() -> Traces.open(dir.toString(), ReadOptions.defaults()))
        .isInstanceOf(TraceFormatException.class)
        .hasMessageContaining("is a directory");
  }

  @Test
  void corruptCompressedDataIsAnInputError() throws IOException {
    byte[] gz = compress(sample(), GZIPOutputStream::new);
    byte[] cut = java.util.Arrays.copyOf(gz, gz.length / 2);
    assertThatThrownBy(() -> TestTraces.read("half.gz", new ByteArrayInputStream(cut), ReadOptions.defaults()))
        .isInstanceOf(TraceFormatException.class)
        .hasMessageStartingWith("half.gz:");
  }

  @Test
  void anXzHeaderAskingForAHugeDictionaryIsAnInputErrorNotOutOfMemory() throws IOException {
    byte[] xz = compress(sample(), out -> new XZOutputStream(out, new LZMA2Options(0)));
    // The block header after the 12-byte stream header: size, flags, filter 0x21 (LZMA2), 1 property
    // byte (the dictionary size), padding, CRC32. 37 declares 1.5 GiB, which the decoder would allocate.
    int size = ((xz[12] & 0xff) + 1) * 4;
    int prop = 12 + 2;
    while (!(xz[prop] == 0x21 && xz[prop + 1] == 1)) prop++;
    xz[prop + 2] = 37;
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(xz, 12, size - 4);
    java.nio.ByteBuffer.wrap(xz, 12 + size - 4, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt((int) crc.getValue());
    assertThatThrownBy(() -> TestTraces.read("huge-dict.xz", new ByteArrayInputStream(xz), ReadOptions.defaults()))
        .isInstanceOf(TraceFormatException.class)
        .hasMessageMatching("huge-dict\\.xz: cannot read xz data: .*memory would be needed; limit was 67072 KiB");
  }

  @Test
  void aStreamThatBreaksMidwayIsAnInputErrorWithItsLine() throws IOException {
    byte[] big = new String(sample(), java.nio.charset.StandardCharsets.UTF_8).repeat(300)
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] gz = compress(big, GZIPOutputStream::new);
    byte[] cut = java.util.Arrays.copyOf(gz, gz.length * 3 / 4);
    assertThatThrownBy(() -> TestTraces.read("cut.gz", new ByteArrayInputStream(cut), ReadOptions.defaults()))
        .isInstanceOf(TraceFormatException.class)
        .hasMessageMatching("cut\\.gz:[1-9][0-9]*: cannot read gzip data: .*");
  }

  @Test
  void emptyInputHasNoEvents() throws IOException {
    TestTraces.Result r = TestTraces.read("empty", new ByteArrayInputStream(new byte[0]), ReadOptions.defaults());
    assertThat(r.events()).isEmpty();
    assertThat(r.stats().lines()).isZero();
  }
}
