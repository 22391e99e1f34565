package org.kreplay.spark;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.kreplay.report.corpus.NoSuchInputException;

/**
 * Inputs given as Hadoop file system URLs ({@code file:}, {@code hdfs:}, {@code s3a:}, whatever the
 * cluster's Hadoop has a connector for): listed on the driver as batch lists a directory, and copied
 * to a local file by the task that analyses one (the readers want a file: trace.dat is read with
 * positional reads).
 */
final class HadoopFiles {
  /** "hdfs://nn/x", "s3a://bucket/x", "file:/x": a scheme of two letters or more, then a colon. */
  private static final Pattern URL = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]+:.*");

  private HadoopFiles() {}

  static boolean isUrl(String arg) {
    return URL.matcher(arg).matches();
  }

  /**
   * The files of one URL: itself, or every file under it (hidden ones, a path part starting with
   * '.', skipped as batch skips them), in path order. A URL that names nothing is a usage error.
   */
  static List<String> list(String url, Configuration conf) throws IOException {
    org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(url);
    FileSystem fs = root.getFileSystem(conf);
    FileStatus status;
    try {
      status = fs.getFileStatus(root);
    } catch (FileNotFoundException e) {
      throw new NoSuchInputException(url + ": no such file or directory");
    }
    List<String> out = new ArrayList<>();
    if (!status.isDirectory()) {
      out.add(url);
      return out;
    }
    String prefix = status.getPath().toString();
    RemoteIterator<LocatedFileStatus> files = fs.listFiles(status.getPath(), true);
    while (files.hasNext()) {
      String file = files.next().getPath().toString();
      if (!hidden(file.substring(Math.min(prefix.length(), file.length())))) out.add(file);
    }
    if (out.isEmpty()) throw new NoSuchInputException(url + ": no files in this directory");
    out.sort(null);
    return out;
  }

  private static boolean hidden(String relative) {
    for (String part : relative.split("/")) {
      if (part.startsWith(".")) return true;
    }
    return false;
  }

  /** A local copy of {@code url}, named after it; the caller deletes it. */
  static Path copyToLocal(String url, Configuration conf) throws IOException {
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(url);
    Path local = Files.createTempFile("kreplay-", "-" + path.getName());
    try (InputStream in = path.getFileSystem(conf).open(path)) {
      Files.copy(in, local, StandardCopyOption.REPLACE_EXISTING);
      return local;
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(local);
      throw e;
    }
  }

  /** The driver's Hadoop settings (spark.hadoop.*, the cluster's site files) as bytes, to send to tasks. */
  static byte[] encode(Configuration conf) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      conf.write(out);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static Configuration decode(byte[] encoded) {
    Configuration conf = new Configuration(false);
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
      conf.readFields(in);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return conf;
  }
}
