package org.kreplay.spark;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import org.kreplay.analyze.AnalysisResult;
import org.kreplay.analyze.SplatResult;
import org.kreplay.report.render.BatchReport.FileResult;

/**
 * The one encoding of a {@link Partial} between Spark tasks: the rows field by field, the results
 * by Java serialization (their classes say how: HdrHistograms in their compressed encoding, the lock
 * graph flat), all deflated. Spark itself only ever moves the bytes.
 */
final class ResultCodec {
  /** Changes whenever the layout does: a driver and executors from different builds fail loudly. */
  private static final int VERSION = 1;

  private ResultCodec() {}

  static byte[] encode(Partial p) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 12);
    Deflater deflater = new Deflater(Deflater.BEST_SPEED);
    try (ObjectOutputStream out = new ObjectOutputStream(new DeflaterOutputStream(bytes, deflater, 1 << 14))) {
      out.writeInt(VERSION);
      out.writeInt(p.rows.size());
      for (FileResult r : p.rows) writeRow(out, r);
      out.writeObject(p.traces);
      out.writeObject(p.reports);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode a batch result", e);
    } finally {
      deflater.end();
    }
    return bytes.toByteArray();
  }

  static Partial decode(byte[] encoded) {
    Inflater inflater = new Inflater();
    try (ObjectInputStream in = new ObjectInputStream(new InflaterInputStream(new ByteArrayInputStream(encoded), inflater,
        1 << 14))) {
      int version = in.readInt();
      if (version != VERSION) {
        throw new IOException("a batch result of encoding " + version + ", this kreplay-spark reads " + VERSION
            + " (driver and executors from different builds?)");
      }
      int n = in.readInt();
      List<FileResult> rows = new ArrayList<>(n);
      for (int i = 0; i < n; i++) rows.add(readRow(in));
      return new Partial(rows, (AnalysisResult) in.readObject(), (SplatResult) in.readObject());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot decode a batch result", e);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("cannot decode a batch result: " + e.getMessage(), e);
    } finally {
      inflater.end();
    }
  }

  private static void writeRow(ObjectOutputStream out, FileResult r) throws IOException {
    out.writeObject(r.path());
    out.writeObject(r.format());
    out.writeLong(r.events());
    out.writeInt(r.findings());
    out.writeLong(r.reports());
    out.writeLong(r.skippedLines());
    out.writeLong(r.millis());
    out.writeObject(r.error());
  }

  private static FileResult readRow(ObjectInputStream in) throws IOException, ClassNotFoundException {
    return new FileResult((String) in.readObject(), (String) in.readObject(), in.readLong(), in.readInt(), in.readLong(),
        in.readLong(), in.readLong(), (String) in.readObject());
  }
}
