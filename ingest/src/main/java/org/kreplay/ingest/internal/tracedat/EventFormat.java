package org.kreplay.ingest.internal.tracedat;

import java.util.HashMap;
import java.util.Map;
import org.kreplay.ingest.EventKind;

/**
 * An event type as its format file describes it. The file is kept as text and parsed on first use:
 * a trace.dat carries the formats of every event of the kernel (thousands) while a trace uses a few.
 */
final class EventFormat {
  final int id;
  final String system;
  final String name;
  final String text;
  /** File offset of the format text, for messages. */
  final long at;

  private boolean parsed;
  private String failure;
  FieldFormat[] commonFields;
  FieldFormat[] fields;
  String printFmt;
  private final Map<String, FieldFormat> byName = new HashMap<>();
  /** Smallest record length that holds every fixed field. */
  int minLength;

  // Set by the reader once it meets the event.
  EventKind kind;
  int typeId = -1;
  /** Renders this event's body; chosen once per format. */
  EventRenderer.Shape shape;
  /** The fields {@link TypedFields} reads for this kind, or null when the body text is decoded instead. */
  FieldFormat[] typed;
  /** Offsets of the common fields, -1 when absent. */
  int pidOffset = -1;
  int flagsOffset = -1;
  int preemptOffset = -1;

  EventFormat(int id, String system, String name, String text, long at) {
    this.id = id;
    this.system = system;
    this.name = name;
    this.text = text;
    this.at = at;
  }

  /** Parses the fields and print format if not done yet; returns null or why the format is unusable. */
  String parse(int longSize) {
    if (!parsed) {
      parsed = true;
      failure = FormatParser.parseBody(this, longSize);
      if (failure == null) {
        int min = 0;
        for (FieldFormat f : commonFields) byName.putIfAbsent(f.name, f);
        for (FieldFormat f : fields) byName.put(f.name, f);
        // A fixed array may be cut short by the record (kernel_stack's caller[] holds "size" entries).
        for (FieldFormat f : byName.values()) {
          min = Math.max(min, f.array && !f.dynamic() ? f.offset : f.offset + f.size);
        }
        minLength = min;
      }
    }
    return failure;
  }

  FieldFormat field(String name) {
    return byName.get(name);
  }

  @Override
  public String toString() {
    return system + ":" + name + " (id " + id + ")";
  }
}
