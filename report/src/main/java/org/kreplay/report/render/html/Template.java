package org.kreplay.report.render.html;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The page skeleton, {@code report.html}: styles and script inline, with {@code <!--kreplay:NAME-->}
 * markers where a page's parts go. A page is written by copying the template up to each marker in
 * turn and writing the part in its place ({@link Cursor#printTill}), so parts are streamed, never
 * assembled into one string.
 */
final class Template {
  static final String RESOURCE = "report.html";
  private static final String MARKER_START = "<!--kreplay:";
  private static final String MARKER_END = "-->";

  /** The skeleton every page kind shares. */
  static final Template REPORT = load(RESOURCE);

  private final List<String> literals = new ArrayList<>();
  private final List<String> markers = new ArrayList<>();
  private final String scriptHash;

  private Template(String text) {
    int pos = 0;
    for (int m; (m = text.indexOf(MARKER_START, pos)) >= 0; ) {
      int end = text.indexOf(MARKER_END, m);
      if (end < 0) throw new IllegalStateException("unterminated marker in " + RESOURCE);
      literals.add(text.substring(pos, m));
      markers.add(text.substring(m + MARKER_START.length(), end));
      pos = end + MARKER_END.length();
    }
    literals.add(text.substring(pos));
    scriptHash = hashOfScript(text);
  }

  static Template load(String resource) {
    try (InputStream in = Template.class.getResourceAsStream(resource)) {
      if (in == null) throw new IllegalStateException("resource " + resource + " missing from the jar");
      return new Template(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Markers in template order. */
  List<String> markers() {
    return List.copyOf(markers);
  }

  /**
   * The Content-Security-Policy source of the one executable script, {@code 'sha256-…'}: the page
   * allows that script and nothing else, so even markup that slipped past escaping could not run.
   */
  String scriptHash() {
    return scriptHash;
  }

  private static String hashOfScript(String text) {
    int open = text.indexOf("<script>");
    if (open < 0) throw new IllegalStateException(RESOURCE + " has no <script> element");
    int start = open + "<script>".length();
    int end = text.indexOf("</script>", start);
    String script = text.substring(start, end);
    if (script.contains(MARKER_START)) throw new IllegalStateException("no markers inside the script");
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(script.getBytes(StandardCharsets.UTF_8));
      return "'sha256-" + Base64.getEncoder().encodeToString(digest) + "'";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e); // every Java platform has SHA-256
    }
  }

  Cursor start(HtmlOut out) {
    return new Cursor(out);
  }

  /** Position in the template while a page is written. */
  final class Cursor {
    private final HtmlOut out;
    private int next;

    private Cursor(HtmlOut out) {
      this.out = out;
    }

    /** Copies the template up to {@code marker}, which must be the next one. */
    void printTill(String marker) {
      if (next >= markers.size() || !markers.get(next).equals(marker)) {
        throw new IllegalStateException("expected marker " + (next < markers.size() ? markers.get(next) : "(end)")
            + ", not " + marker);
      }
      out.raw(literals.get(next));
      next++;
    }

    /** Copies the rest of the template; every marker must have been passed. */
    void finish() {
      if (next != markers.size()) throw new IllegalStateException("marker " + markers.get(next) + " not filled");
      out.raw(literals.get(next));
    }
  }
}
