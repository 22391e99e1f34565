package org.kreplay.ingest.internal;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import org.apache.commons.csv.CSVPrinter;
import org.kreplay.ingest.EventWriter;
import org.kreplay.ingest.TraceEvent;

/** The canonical CSV and JSON Lines writers. */
public final class CanonicalWriters {
  private CanonicalWriters() {}

  public static EventWriter csv(Writer out) throws IOException {
    out.write(CanonicalCsvReader.MAGIC + " schema_version=" + CanonicalColumns.SCHEMA_VERSION + "\n");
    CSVPrinter printer = new CSVPrinter(out, CanonicalCsvReader.FORMAT);
    printer.printRecord((Object[]) CanonicalColumns.NAMES);
    return new EventWriter() {
      @Override
      public void write(TraceEvent event) throws IOException {
        String[] v = CanonicalColumns.values(event);
        for (int i = 0; i < v.length; i++) {
          printer.print(v[i] == null ? "" : v[i]);
        }
        printer.println();
      }

      @Override
      public void close() throws IOException {
        printer.flush();
      }
    };
  }

  public static EventWriter jsonl(OutputStream out) throws IOException {
    JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8);
    g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    g.setRootValueSeparator(null);
    g.writeStartObject();
    g.writeStringField("kreplay", "events");
    g.writeNumberField("schema_version", CanonicalColumns.SCHEMA_VERSION);
    g.writeEndObject();
    g.writeRaw('\n');
    return new EventWriter() {
      @Override
      public void write(TraceEvent event) throws IOException {
        String[] v = CanonicalColumns.values(event);
        String[] names = CanonicalColumns.NAMES;
        g.writeStartObject();
        for (int i = 0; i < v.length; i++) {
          if (v[i] == null) continue;
          switch (names[i]) {
            case "ts_ns": case "cpu": case "pid": case "tgid": case "preempt_depth":
            case "migrate_disable": case "read":
              g.writeNumberField(names[i], Long.parseLong(v[i]));
              break;
            case "irqs_off": case "bh_off": case "need_resched": case "hardirq": case "softirq":
            case "nmi": case "try":
              g.writeBooleanField(names[i], v[i].equals("1"));
              break;
            case "stack":
              g.writeArrayFieldStart("stack");
              for (int k = 0; k < event.stack().depth(); k++) g.writeString(event.stack().frame(k));
              g.writeEndArray();
              break;
            default:
              g.writeStringField(names[i], v[i]);
          }
        }
        g.writeEndObject();
        g.writeRaw('\n');
      }

      @Override
      public void close() throws IOException {
        g.close();
      }
    };
  }
}
