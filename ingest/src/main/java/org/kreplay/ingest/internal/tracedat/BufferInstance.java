package org.kreplay.ingest.internal.tracedat;

/**
 * One ring buffer in the file: the top instance ("") or a named one ({@code trace-cmd record -B}),
 * with where each CPU's pages are.
 */
final class BufferInstance {
  final String name;
  /** File offset of the instance's data description (v7 flyrecord section, v6 options/flyrecord tag). */
  final long offset;
  /** Where the instance is described (its BUFFER option, or the v6 CPU table), for messages. */
  long optionAt;
  String clock;
  /** Sub-buffer (page) size; v7 names it per instance, v6 uses the file's page size. */
  int pageSize;
  /** The instance holds latency-format text instead of pages (not readable by kreplay). */
  boolean latency;
  /** Whether the CPU data is compressed in chunks (v7 flyrecord section flag). */
  boolean compressed;
  int[] cpuIds = new int[0];
  long[] dataOffsets = new long[0];
  long[] dataSizes = new long[0];

  BufferInstance(String name, long offset) {
    this.name = name;
    this.offset = offset;
  }

  int cpus() {
    return cpuIds.length;
  }

  String label() {
    return name.isEmpty() ? "top instance" : "instance '" + name + "'";
  }
}
