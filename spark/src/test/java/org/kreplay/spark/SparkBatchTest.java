package org.kreplay.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * kreplay-spark on local[2] against kreplay batch in-process, on a corpus of the bundled traces and
 * kernel logs with an unreadable file in the middle. Only the per-file "millis" (how long each file
 * took this time) may differ; every other byte of the JSON must be the same.
 */
class SparkBatchTest {
  @TempDir static Path corpus;
  @TempDir static Path out;
  private static JavaSparkContext sc;
  private static String batchJson;
  private static String batchCsv;

  /** A run of kreplay-spark: exit code and what it said on stderr. */
  record Run(int exit, String err) {}

  @BeforeAll
  static void startSparkAndRunBatch() throws IOException {
    // copied with names that sort the broken file into the middle of the path order
    List<Path> bundled = Corpora.bundled();
    for (int i = 0; i < bundled.size(); i++) {
      Path f = bundled.get(i);
      String name = String.format("%03d-%s-%s", i, f.getParent().getFileName(), f.getFileName());
      Files.copy(f, corpus.resolve(name));
      if (i == bundled.size() / 2) {
        Files.write(corpus.resolve(String.format("%03d-broken.txt.xz", i)), new byte[] {(byte) 0xfd, '7', 'z', 'X', 'Z', 0, 1});
      }
    }
    sc = SparkBatchCommand.start("local[2]");
    batchJson = batch("-f", "json");
    batchCsv = batch("-f", "csv");
  }

  @AfterAll
  static void stopSpark() {
    if (sc != null) sc.close();
  }

  private static String batch(String... format) throws IOException {
    Path file = out.resolve("batch." + format[1]);
    List<String> args = new ArrayList<>(List.of("batch", "-q", "-o", file.toString()));
    args.addAll(List.of(format));
    args.add(corpus.toString());
    assertThat(org.kreplay.report.cli.Main.run(args.toArray(new String[0]))).isZero();
    return Files.readString(file);
  }

  private static Run spark(String... args) {
    StringWriter err = new StringWriter();
    List<String> all = new ArrayList<>(List.of("batch"));
    all.addAll(List.of(args));
    String[] argv = all.toArray(new String[0]);
    picocli.CommandLine cl = Main.commandLine(sc, argv);
    cl.setErr(new PrintWriter(err, true));
    return new Run(cl.execute(argv), err.toString());
  }

  /** Each file's time, the one thing two runs of the same batch do not share. */
  private static String withoutTimes(String json) {
    return json.replaceAll("\"millis\" : [0-9]+", "\"millis\" : 0");
  }

  private static String sparkJson(String... options) throws IOException {
    Path file = Files.createTempFile(out, "spark", ".json");
    List<String> args = new ArrayList<>(List.of("-q", "-f", "json", "-o", file.toString()));
    args.addAll(List.of(options));
    args.add(corpus.toString());
    Run r = spark(args.toArray(new String[0]));
    assertThat(r.exit()).as(r.err()).isZero();
    return Files.readString(file);
  }

  @Test
  void theJsonIsBatchsByteForByte() throws IOException {
    String spark = sparkJson();
    assertThat(withoutTimes(spark)).isEqualTo(withoutTimes(batchJson));
    // not equal by being empty: the corpus has findings from traces and problems from kernel logs
    assertThat(spark).contains("\"kind\" : \"sleep-in-atomic\"").contains("\"kernel_reports\"");
    assertThat(withoutTimes(spark)).isNotEqualTo(spark); // millis were there to normalise
  }

  @ParameterizedTest(name = "{0} partitions")
  @ValueSource(ints = {1, 2, 7})
  void thePartitioningDoesNotChangeTheResult(int partitions) throws IOException {
    // fanout 2: a deep tree, whose nodes each merge two adjacent runs of files
    String spark = sparkJson("--partitions", "" + partitions, "--fanout", "2");
    assertThat(withoutTimes(spark)).isEqualTo(withoutTimes(batchJson));
  }

  @Test
  void theBrokenFileIsNamedWithTheReasonAndTheBatchGoesOn() throws IOException {
    Path file = out.resolve("broken.json");
    Run r = spark("-f", "json", "-o", file.toString(), corpus.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    String broken = corpus.resolve(String.format("%03d-broken.txt.xz", Corpora.bundled().size() / 2)).toString();
    assertThat(r.err()).contains("kreplay: batch: " + (Corpora.bundled().size() + 1) + " files, 1 unreadable")
        .contains("kreplay: " + broken + ": ");
    // one task and one partition per file, then levels of merges of 16 nodes until one is left
    int files = Corpora.bundled().size() + 1;
    int levels = 0;
    for (int nodes = files; nodes > 1; nodes = (nodes + 15) / 16) levels++;
    assertThat(levels).isPositive();
    assertThat(r.err()).containsPattern("kreplay: spark: " + files + " tasks in " + files + " partitions, merged by "
        + levels + " levels? \\(fanout 16\\), [0-9.,]+ (KB|MB) of results moved");
    String json = Files.readString(file);
    assertThat(json).contains("\"path\" : \"" + broken + "\",\n    \"status\" : \"unreadable\"");
  }

  @Test
  void thePerFileTableIsBatchsCsv() throws IOException {
    Path csv = out.resolve("files.csv");
    Run r = spark("-q", "-f", "json", "-o", out.resolve("with-table.json").toString(), "--per-file", csv.toString(),
        corpus.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    String table = Files.readString(csv, StandardCharsets.UTF_8);
    assertThat(table.lines().count()).isGreaterThan(Corpora.bundled().size());
    // millis is the eighth column
    assertThat(table.replaceAll("(?m)^((?:[^,]*,){7})[0-9]+,", "$1,"))
        .isEqualTo(batchCsv.replaceAll("(?m)^((?:[^,]*,){7})[0-9]+,", "$1,"));
  }

  @Test
  void aHadoopUrlIsListedAndReadThroughItsFileSystem() throws IOException {
    String url = "file:" + corpus.toAbsolutePath();
    Path file = out.resolve("url.json");
    Run r = spark("-q", "-f", "json", "-o", file.toString(), url);
    assertThat(r.exit()).as(r.err()).isZero();
    // every file named by its URL, in results and evidence alike; otherwise the same report
    String json = Files.readString(file);
    assertThat(json).contains("\"path\" : \"" + url + "/000-");
    assertThat(withoutTimes(json.replace(url, corpus.toAbsolutePath().toString())))
        .isEqualTo(withoutTimes(batchJson.replace(corpus.toString(), corpus.toAbsolutePath().toString())));
  }

  @Test
  void aPathThatNamesNothingIsAUsageErrorBeforeAnyWork() {
    Run r = spark("-q", corpus.resolve("no-such-dir").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("no-such-dir: no such file or directory").doesNotContain("\tat ");
    Run url = spark("-q", "file:" + corpus.resolve("no-such-dir").toAbsolutePath());
    assertThat(url.exit()).isEqualTo(2);
    assertThat(url.err()).contains("no-such-dir: no such file or directory");
  }
}
