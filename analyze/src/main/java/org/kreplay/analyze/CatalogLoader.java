package org.kreplay.analyze;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kreplay.analyze.Catalog.CatalogException;

/**
 * Reads a catalog file entry by entry, so every problem names the line of the entry it is in;
 * the whole file is checked and typed ({@link CatalogEntryTyper}) before any of it is used.
 * Sections bind to the file's own records ({@link CatalogFile}), as the file spells them.
 */
final class CatalogLoader {
  private CatalogLoader() {}

  /**
   * Users' files; a holder, so that a run that reads only the built-in catalog never loads the YAML
   * parser. Duplicate keys are refused: with them one of the user's values would be dropped without a word.
   */
  private static final class Yaml {
    static final ObjectMapper MAPPER = configure(new ObjectMapper(YAMLFactory.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build()));
  }

  /**
   * The built-in catalog as the build compiled it ({@link CatalogCompiler}): the same document as
   * JSON, which parses several times faster than YAML at start-up, where it counts.
   */
  private static final ObjectMapper COMPILED = configure(new ObjectMapper(JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build()));

  private static ObjectMapper configure(ObjectMapper m) {
    return m.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
  }

  private static final Map<String, Class<?>> SECTIONS = new LinkedHashMap<>();

  static {
    SECTIONS.put("lock_classes", CatalogFile.LockClass.class);
    SECTIONS.put("functions", CatalogFile.Function.class);
    SECTIONS.put("hrtimer_callbacks", CatalogFile.Hrtimer.class);
    SECTIONS.put("irq_work_callbacks", CatalogTypes.IrqWorkEntry.class);
    SECTIONS.put("irq_work_runners", CatalogFile.IrqWorkRunner.class);
    SECTIONS.put("contention_begin", CatalogFile.Contention.class);
    SECTIONS.put("rt_only_threads", CatalogFile.RtThread.class);
    SECTIONS.put("scheduler_core", CatalogFile.SchedulerCore.class);
    SECTIONS.put("gfp_blocking", CatalogFile.GfpBlocking.class);
    SECTIONS.put("irqs", CatalogFile.Irq.class);
    SECTIONS.put("skip_frames", CatalogFile.Skip.class);
    SECTIONS.put("deferral_mechanisms", CatalogFile.DeferralMechanism.class);
    SECTIONS.put("tick_interrupts", CatalogFile.TickInterrupt.class);
    SECTIONS.put("report_titles", CatalogTypes.ReportTitleEntry.class);
    SECTIONS.put("report_ignores", CatalogTypes.ReportIgnoreEntry.class);
    SECTIONS.put("blame_skip", CatalogTypes.BlameSkipEntry.class);
    SECTIONS.put("report_rules", CatalogTypes.ReportRuleEntry.class);
  }

  /** Reads {@code in} (named {@code name} in errors) and adds its entries to {@code target}, or throws and adds none. */
  static void load(Catalog target, String name, InputStream in) throws IOException {
    load(target, name, in, Yaml.MAPPER);
  }

  /** A YAML document as a tree, parsed as users' files are (duplicate keys refused), for {@link CatalogCompiler}. */
  static com.fasterxml.jackson.databind.JsonNode yamlTree(byte[] yaml) throws IOException {
    return Yaml.MAPPER.readTree(yaml);
  }

  /** Reads the built-in catalog compiled to JSON at build time ({@link CatalogCompiler}). */
  static void loadCompiled(Catalog target, String name, InputStream in) throws IOException {
    load(target, name, in, COMPILED);
  }

  private static void load(Catalog target, String name, InputStream in, ObjectMapper mapper) throws IOException {
    Catalog staged = new Catalog();
    int schema = -1;
    try (JsonParser p = mapper.getFactory().createParser(in)) {
      JsonToken t = p.nextToken();
      if (t == null) throw new CatalogException(name + ": empty catalog");
      if (t != JsonToken.START_OBJECT) throw problem(name, p, "expected a mapping with schema_version and sections");
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String section = p.currentName();
        p.nextToken();
        if (section.equals("schema_version")) {
          schema = p.getValueAsInt(-1);
          if (schema != Catalog.SCHEMA_VERSION) {
            throw problem(name, p, "schema_version " + p.getText() + " is not " + Catalog.SCHEMA_VERSION);
          }
          continue;
        }
        Class<?> type = SECTIONS.get(section);
        if (type == null) {
          throw problem(name, p, "unknown section '" + section + "' (known: schema_version, "
              + String.join(", ", SECTIONS.keySet()) + ")");
        }
        if (p.currentToken() == JsonToken.VALUE_NULL) continue;
        if (p.currentToken() != JsonToken.START_ARRAY) throw problem(name, p, section + " must be a list");
        int index = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
          long line = p.currentLocation().getLineNr();
          String at = name + ":" + line + ": " + section + "[" + index++ + "]";
          Object entry;
          try {
            entry = mapper.readValue(p, type);
          } catch (UnrecognizedPropertyException e) {
            throw new CatalogException(at + ": unknown field '" + e.getPropertyName() + "' (known: "
                + String.join(", ", fieldNames(type)) + ")");
          } catch (JsonProcessingException e) {
            throw new CatalogException(at + ": " + YamlMessages.readable(e.getOriginalMessage()));
          }
          CatalogEntryTyper.add(staged, at, entry);
        }
      }
      if (t != JsonToken.END_OBJECT && t != null) throw problem(name, p, "unexpected " + t);
      if (t != null && p.nextToken() != null) {
        throw problem(name, p, "a second YAML document: a catalog file holds one (its entries would be ignored)");
      }
    } catch (JsonProcessingException e) {
      JsonLocation l = e.getLocation();
      String where = l == null ? name : name + ":" + l.getLineNr() + ":" + l.getColumnNr();
      throw new CatalogException(where + ": " + YamlMessages.readable(e.getOriginalMessage()));
    }
    if (schema < 0) throw new CatalogException(name + ": schema_version missing (it is " + Catalog.SCHEMA_VERSION + ")");
    target.addAll(staged);
    target.files.add(name);
  }

  private static List<String> fieldNames(Class<?> type) {
    List<String> names = new ArrayList<>();
    for (var c : type.getRecordComponents()) {
      names.add(PropertyNamingStrategies.SnakeCaseStrategy.INSTANCE.translate(c.getName()));
    }
    return names;
  }

  private static CatalogException problem(String file, JsonParser p, String what) {
    return new CatalogException(file + ":" + p.currentLocation().getLineNr() + ": " + what);
  }
}
