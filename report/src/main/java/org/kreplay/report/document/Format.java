package org.kreplay.report.document;

/** The formats every report command writes (--format); lower case as the user types them. */
public enum Format {
  text, md, json, csv, html;

  /** Whether this is one of the two human-readable text formats. */
  public boolean isText() {
    return this == text || this == md;
  }
}
