package org.kreplay.ingest.internal.tracedat;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Integer reads from byte arrays in the file's byte order. Callers check bounds first. */
final class Endian {
  private static final VarHandle LE16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle BE16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LE32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle BE32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LE64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle BE64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  static final Endian LITTLE = new Endian(false);
  static final Endian BIG = new Endian(true);

  final boolean big;

  private Endian(boolean big) {
    this.big = big;
  }

  int u16(byte[] b, int i) {
    return (big ? (short) BE16.get(b, i) : (short) LE16.get(b, i)) & 0xffff;
  }

  int s32(byte[] b, int i) {
    return big ? (int) BE32.get(b, i) : (int) LE32.get(b, i);
  }

  long u32(byte[] b, int i) {
    return s32(b, i) & 0xffff_ffffL;
  }

  long s64(byte[] b, int i) {
    return big ? (long) BE64.get(b, i) : (long) LE64.get(b, i);
  }

  /** An unsigned integer of 1, 2, 4 or 8 bytes (8 bytes come back as the raw 64 bits). */
  long unsigned(byte[] b, int i, int size) {
    switch (size) {
      case 1: return b[i] & 0xffL;
      case 2: return u16(b, i);
      case 4: return u32(b, i);
      case 8: return s64(b, i);
      default: return 0;
    }
  }

  /** A signed integer of 1, 2, 4 or 8 bytes, sign-extended. */
  long signed(byte[] b, int i, int size) {
    switch (size) {
      case 1: return b[i];
      case 2: return (short) u16(b, i);
      case 4: return s32(b, i);
      case 8: return s64(b, i);
      default: return 0;
    }
  }

  void put32(byte[] b, int i, int v) {
    if (big) BE32.set(b, i, v);
    else LE32.set(b, i, v);
  }

  void put64(byte[] b, int i, long v) {
    if (big) BE64.set(b, i, v);
    else LE64.set(b, i, v);
  }

  @Override
  public String toString() {
    return big ? "big-endian" : "little-endian";
  }
}
