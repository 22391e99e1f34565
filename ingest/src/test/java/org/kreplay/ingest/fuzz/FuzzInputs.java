package org.kreplay.ingest.fuzz;

import java.util.Arrays;

/**
 * What the fuzz targets of the line-based readers share: the bytes a reader is given, and an
 * independent count of the lines in them to check the reader's accounting against.
 *
 * <p>The fuzzer's inputs are a few kilobytes, too short for work that grows faster than the input to
 * show. So a first byte 0x01 or 0x02 asks for the rest of the input repeated to {@value
 * #AMPLIFIED_SIZE} bytes: as it is (many lines: costs per line or per report add up), or with its
 * line breaks made spaces (one long line, still under the readers' line-length limit). Quadratic
 * work on either then takes long enough for Jazzer's per-input timeout to report it as a hang.
 */
public final class FuzzInputs {
  static final int AMPLIFIED_SIZE = 256 * 1024;
  static final byte MANY_LINES = 0x01;
  static final byte ONE_LONG_LINE = 0x02;

  private FuzzInputs() {}

  /** The bytes to read for the fuzzer's {@code data}. */
  public static byte[] readerInput(byte[] data) {
    if (data.length < 2 || (data[0] != MANY_LINES && data[0] != ONE_LONG_LINE)) return data;
    byte[] unit = Arrays.copyOfRange(data, 1, data.length);
    if (data[0] == ONE_LONG_LINE) {
      for (int i = 0; i < unit.length; i++) {
        if (unit[i] == '\n' || unit[i] == '\r') unit[i] = ' ';
      }
    }
    byte[] out = new byte[AMPLIFIED_SIZE];
    for (int at = 0; at < out.length; at += unit.length) {
      System.arraycopy(unit, 0, out, at, Math.min(unit.length, out.length - at));
    }
    return out;
  }

  /** Lines as a line reader must count them: each '\n' ends one, and a last line without it counts too. */
  public static long lines(byte[] data) {
    long n = 0;
    for (byte b : data) {
      if (b == '\n') n++;
    }
    return data.length > 0 && data[data.length - 1] != '\n' ? n + 1 : n;
  }

  /** Lines as CSV (RFC 4180, and Commons CSV) counts them: CR LF, LF and a lone CR each end one. */
  public static long csvLines(byte[] data) {
    long n = 0;
    for (int i = 0; i < data.length; i++) {
      if (data[i] == '\n' || (data[i] == '\r' && (i + 1 == data.length || data[i + 1] != '\n'))) n++;
    }
    byte last = data.length == 0 ? 0 : data[data.length - 1];
    return data.length > 0 && last != '\n' && last != '\r' ? n + 1 : n;
  }
}
