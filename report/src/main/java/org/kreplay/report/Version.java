package org.kreplay.report;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** kreplay's version, as the build wrote it into the jar; stamped into every JSON and HTML report. */
public final class Version {
  private static final String VERSION = read();

  private Version() {}

  public static String get() {
    return VERSION;
  }

  private static String read() {
    Properties p = new Properties();
    try (InputStream in = Version.class.getResourceAsStream("/kreplay-version.properties")) {
      if (in != null) p.load(in);
    } catch (IOException e) {
      // fall through to "unknown"
    }
    return p.getProperty("version", "unknown");
  }
}
