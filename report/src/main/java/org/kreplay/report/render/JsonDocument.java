package org.kreplay.report.render;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The envelope every kreplay JSON document shares: one pretty-printed object that starts with
 * {@code schema_version}, {@code kind} and {@code tool}, then the document's own fields, and ends
 * with a newline. The caller's stream is left open.
 */
final class JsonDocument {
  /** Writes a document's own fields into the open root object. */
  interface Fields {
    void write(JsonGenerator g) throws IOException;
  }

  private JsonDocument() {}

  static void write(OutputStream out, int schemaVersion, String kind, String toolVersion, Fields fields)
      throws IOException {
    try (JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      g.useDefaultPrettyPrinter();
      g.writeStartObject();
      g.writeNumberField("schema_version", schemaVersion);
      g.writeStringField("kind", kind);
      g.writeObjectFieldStart("tool");
      g.writeStringField("name", "kreplay");
      g.writeStringField("version", toolVersion);
      g.writeEndObject();
      fields.write(g);
      g.writeEndObject();
      g.writeRaw('\n');
    }
  }
}
