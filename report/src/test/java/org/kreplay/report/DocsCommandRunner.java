package org.kreplay.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kreplay.report.cli.Cli;

/**
 * Runs the commands the docs quote, in-process as {@link Cli} does, in a JVM whose working
 * directory is the repository root: the docs write paths as a user types them there
 * ({@code traces/seeds/…}), and a report prints the paths it was given, so they must be run from
 * there to print what the docs quote. Reads one command a line (arguments separated by tabs) and
 * writes a JSON array of {@code {exit, out, err}}, one per command.
 */
public final class DocsCommandRunner {
  private DocsCommandRunner() {}

  public static void main(String[] args) throws IOException {
    List<Map<String, Object>> results = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8)) {
      Cli.Run run = Cli.run(line.split("\t"));
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("exit", run.exit());
      result.put("out", run.out());
      result.put("err", run.err());
      results.add(result);
    }
    new ObjectMapper().writeValue(Path.of(args[1]).toFile(), results);
  }
}
