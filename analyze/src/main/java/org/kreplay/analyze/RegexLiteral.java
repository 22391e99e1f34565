package org.kreplay.analyze;

import java.util.regex.Pattern;

/**
 * A plain text every match of a regex contains, read from the regex once, so that a line without
 * it is passed over without running the regex (most lines of a report match none of syzkaller's
 * hundreds of patterns). {@code text} is "" when nothing is certain; {@code lead} is how many
 * fixed-length atoms come before the text in every match, or -1 when that varies.
 *
 * <p>The text is the longest run of plain characters outside groups and classes, each certain to
 * appear (not under ?, * or {}), in a regex with no top-level alternative and no inline flags that
 * change what a plain character matches (case folding, comments). Any such run would do for a
 * "does the line contain it" test; the longest rules out the most lines.
 */
record RegexLiteral(String text, int lead) {
  static final RegexLiteral NONE = new RegexLiteral("", -1);

  /** (?i), (?x), (?u), (?U) and the like: flags that change what a plain character matches. */
  private static final Pattern INLINE_FLAGS = Pattern.compile("\\(\\?[a-zA-Z]*[ixuU]");
  /** Escapes that match no character (\b, \B, \A, \G, \z, \Z): zero width. */
  private static final String ZERO_WIDTH_ESCAPES = "bBAGzZ";

  static RegexLiteral of(String regex) {
    if (INLINE_FLAGS.matcher(regex).find() || regex.contains("\\Q")) return NONE;
    String best = "";
    int bestLead = -1;
    StringBuilder run = new StringBuilder();
    int runLead = -1;
    int width = 0; // fixed length of what came before, in atoms; -1 once it varies
    int n = regex.length();
    for (int i = 0; i < n; ) {
      char c = regex.charAt(i);
      int atomEnd; // the index after the atom starting at i
      char literal = 0; // the atom's character, or 0 when it is no plain character
      int atomWidth = 1; // atoms of fixed length 1 (a character, a class, an escape); 0 for anchors; -1 varies
      if (c == '\\' && i + 1 < n) {
        char e = regex.charAt(i + 1);
        if ("xu0cNk".indexOf(e) >= 0) return NONE; // a character by code, or a named reference: not worth reading
        if (!Character.isLetterOrDigit(e)) literal = e; // \. \[ are plain characters; \d, \s, \p{..} are not
        else if (ZERO_WIDTH_ESCAPES.indexOf(e) >= 0) atomWidth = 0;
        else if (Character.isDigit(e)) atomWidth = -1; // a back reference
        atomEnd = i + 2;
        if ((e == 'p' || e == 'P') && atomEnd < n && regex.charAt(atomEnd) == '{') {
          atomEnd = regex.indexOf('}', atomEnd) + 1;
          if (atomEnd == 0) return NONE;
        }
      } else if (c == '[') {
        atomEnd = skipClass(regex, i);
      } else if (c == '(') {
        atomWidth = -1;
        atomEnd = skipGroup(regex, i);
      } else if (c == '|') {
        return NONE; // a top-level alternative: nothing is certain
      } else if (c == '^' || c == '$') {
        atomWidth = 0;
        atomEnd = i + 1;
      } else if (c == '.') {
        atomEnd = i + 1;
      } else if (c == ')' || c == ']') {
        atomWidth = -1;
        atomEnd = i + 1;
      } else {
        literal = c;
        atomEnd = i + 1;
      }
      if (atomEnd < 0) return NONE; // unbalanced: let the regex engine decide
      char q = atomEnd < n ? regex.charAt(atomEnd) : 0;
      int next = atomEnd;
      boolean quantified = q == '*' || q == '?' || q == '+' || q == '{';
      if (quantified) {
        next = q == '{' ? regex.indexOf('}', atomEnd) + 1 : atomEnd + 1;
        if (next <= 0) return NONE;
        if (next < n && (regex.charAt(next) == '?' || regex.charAt(next) == '+')) next++; // lazy, possessive
      }
      if (literal != 0 && q != '*' && q != '?' && q != '{') {
        if (run.length() == 0) runLead = width;
        run.append(literal);
      }
      // a repeated or optional atom, or one that is no plain character, ends the run: what follows
      // is not certain to come right after it
      if (literal == 0 || quantified) {
        if (run.length() > best.length()) {
          best = run.toString();
          bestLead = runLead;
        }
        run.setLength(0);
      }
      width = width < 0 || atomWidth < 0 || quantified ? -1 : width + atomWidth;
      i = next;
    }
    if (run.length() > best.length()) {
      best = run.toString();
      bestLead = runLead;
    }
    return best.isEmpty() ? NONE : new RegexLiteral(best, bestLead);
  }

  /** The index after the character class starting at {@code i}, or -1. */
  private static int skipClass(String regex, int i) {
    int depth = 0;
    for (int k = i; k < regex.length(); k++) {
      char c = regex.charAt(k);
      if (c == '\\') {
        k++;
      } else if (c == '[') {
        depth++;
        if (k + 1 < regex.length() && regex.charAt(k + 1) == '^') k++;
        if (k + 1 < regex.length() && regex.charAt(k + 1) == ']') k++; // a leading ] is literal
      } else if (c == ']' && --depth == 0) {
        return k + 1;
      }
    }
    return -1;
  }

  /** The index after the group starting at {@code i}, or -1. */
  private static int skipGroup(String regex, int i) {
    int depth = 0;
    for (int k = i; k < regex.length(); k++) {
      char c = regex.charAt(k);
      if (c == '\\') {
        k++;
      } else if (c == '[') {
        k = skipClass(regex, k) - 1;
        if (k < 0) return -1;
      } else if (c == '(') {
        depth++;
      } else if (c == ')' && --depth == 0) {
        return k + 1;
      }
    }
    return -1;
  }
}
