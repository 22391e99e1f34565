package org.kreplay.report.render.html;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * A page being written: markup from constants, text escaped on the way in, buffered in a bounded
 * {@link StringBuilder} that is flushed to the writer whenever it fills, so a large report never
 * sits in memory whole.
 *
 * <p>Attributes are given as name/value pairs; names are constants, values are escaped.
 */
final class HtmlOut {
  /** Characters buffered before they are handed to the writer. */
  static final int FLUSH_THRESHOLD = 16_384;

  private final Writer out;
  private final StringBuilder sb = new StringBuilder(FLUSH_THRESHOLD + 4096);

  HtmlOut(Writer out) {
    this.out = out;
  }

  /** Trusted markup: only constants and strings already escaped. */
  HtmlOut raw(CharSequence markup) {
    sb.append(markup);
    return maybeFlush();
  }

  /** Text from anywhere, escaped (and clipped if absurdly long). */
  HtmlOut text(String s) {
    sb.append(Html.text(Html.clip(s)));
    return maybeFlush();
  }

  /** {@code <tag a="v" …>}. */
  HtmlOut open(String tag, String... attrs) {
    sb.append('<').append(tag);
    attributes(attrs);
    sb.append('>');
    return this;
  }

  HtmlOut close(String tag) {
    sb.append("</").append(tag).append('>');
    return maybeFlush();
  }

  /** {@code <tag …>text</tag>}. */
  HtmlOut element(String tag, String text, String... attrs) {
    return open(tag, attrs).text(text).close(tag);
  }

  /** A newline, to keep the source readable for someone viewing it. */
  HtmlOut nl() {
    sb.append('\n');
    return maybeFlush();
  }

  private void attributes(String[] attrs) {
    if (attrs.length % 2 != 0) throw new IllegalArgumentException("attributes come in name/value pairs");
    for (int i = 0; i < attrs.length; i += 2) {
      if (attrs[i + 1] == null) continue; // an absent optional attribute
      sb.append(' ').append(attrs[i]).append("=\"").append(Html.attr(attrs[i + 1])).append('"');
    }
  }

  private HtmlOut maybeFlush() {
    if (sb.length() >= FLUSH_THRESHOLD) flushBuffer();
    return this;
  }

  private void flushBuffer() {
    try {
      out.append(sb);
    } catch (IOException e) {
      // Rendering code stays free of checked exceptions; HtmlReport unwraps this again.
      throw new UncheckedIOException(e);
    }
    sb.setLength(0);
  }

  /** Hands everything buffered to the writer and flushes it. */
  void flush() {
    flushBuffer();
    try {
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
