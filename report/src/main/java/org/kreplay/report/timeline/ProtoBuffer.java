package org.kreplay.report.timeline;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A protobuf message being encoded: the few wire types Perfetto's trace needs (varint, fixed64,
 * length-delimited), written field by field into a growing byte array. Nested messages are encoded
 * on their own and added with {@link #message}.
 */
final class ProtoBuffer {
  private static final int VARINT = 0;
  private static final int FIXED64 = 1;
  private static final int LENGTH_DELIMITED = 2;

  private byte[] bytes = new byte[64];
  private int size;

  /** Empties it for the next message, keeping its array. */
  ProtoBuffer clear() {
    size = 0;
    return this;
  }

  /**
   * Empties it for a message to be written from {@code headroom} on, so that what goes in front
   * of it (its field's tag and length, once known) can be put there with {@link #prepend} instead
   * of the message being copied behind them.
   */
  ProtoBuffer clearWithHeadroom(int headroom) {
    size = 0;
    ensure(headroom);
    size = headroom;
    return this;
  }

  /** Copies {@code head}'s bytes to end at {@code at} (at most the headroom) and returns where they start. */
  int prepend(ProtoBuffer head, int at) {
    int from = at - head.size;
    if (from < 0) throw new IllegalArgumentException("no room for " + head.size + " bytes before " + at);
    System.arraycopy(head.bytes, 0, bytes, from, head.size);
    return from;
  }

  ProtoBuffer varint(int field, long value) {
    tag(field, VARINT);
    rawVarint(value);
    return this;
  }

  ProtoBuffer fixed64(int field, long value) {
    tag(field, FIXED64);
    ensure(8);
    for (int i = 0; i < 8; i++) bytes[size++] = (byte) (value >>> (8 * i));
    return this;
  }

  ProtoBuffer string(int field, String value) {
    return bytes(field, value.getBytes(StandardCharsets.UTF_8));
  }

  /** A length-delimited field of {@code b}'s bytes (an encoded string, say). */
  ProtoBuffer bytes(int field, byte[] b) {
    return bytes(field, b, -1);
  }

  ProtoBuffer message(int field, ProtoBuffer m) {
    return bytes(field, m.bytes, m.size);
  }

  /** The encoded message. */
  byte[] toByteArray() {
    return Arrays.copyOf(bytes, size);
  }

  /** The encoding so far: {@link #size()} bytes of {@link #array()}, valid until the next change. */
  byte[] array() {
    return bytes;
  }

  int size() {
    return size;
  }


  /** A length-delimited field's tag and length, its {@code length} bytes to follow. */
  ProtoBuffer header(int field, int length) {
    tag(field, LENGTH_DELIMITED);
    rawVarint(length);
    return this;
  }

  /** How many bytes {@code varint(field, value)} writes. */
  static int varintFieldSize(int field, long value) {
    return varintSize((long) field << 3) + varintSize(value);
  }

  /** How many bytes a length-delimited field of {@code length} bytes takes, its tag and length included. */
  static int lengthDelimitedFieldSize(int field, int length) {
    return varintSize(((long) field << 3) | LENGTH_DELIMITED) + varintSize(length) + length;
  }

  private static int varintSize(long v) {
    int n = 1;
    while ((v & ~0x7FL) != 0) {
      n++;
      v >>>= 7;
    }
    return n;
  }

  private ProtoBuffer bytes(int field, byte[] b, int length) {
    int n = length < 0 ? b.length : length;
    tag(field, LENGTH_DELIMITED);
    rawVarint(n);
    ensure(n);
    System.arraycopy(b, 0, bytes, size, n);
    size += n;
    return this;
  }

  private void tag(int field, int wireType) {
    rawVarint(((long) field << 3) | wireType);
  }

  private void rawVarint(long v) {
    ensure(10);
    while ((v & ~0x7FL) != 0) {
      bytes[size++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    bytes[size++] = (byte) v;
  }

  private void ensure(int more) {
    if (size + more > bytes.length) bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
  }
}
