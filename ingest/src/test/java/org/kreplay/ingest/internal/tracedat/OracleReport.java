package org.kreplay.ingest.internal.tracedat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tukaani.xz.XZInputStream;

/**
 * trace-cmd's own view of a trace.dat, parsed from {@code trace-cmd report -R} (every field as
 * name=value) and {@code trace-cmd report -l} (libtraceevent flags, stack frames) of the same file.
 * The two reports list the same records in the same order.
 */
final class OracleReport {
  /** One line of the reports: an event (with -l's flags and frames) or a lost-events marker. */
  static final class Item {
    String comm;
    int pid;
    int cpu;
    /** Nanoseconds, or microseconds × 1000 when the report has 6 decimals. */
    long ts;
    String name;
    String rawBody;
    String flags;
    final List<String> frames = new ArrayList<>();
    boolean lost;
    long lostCount = -1;
    /** A kernel_stack record kreplay attaches to the event before it. */
    boolean attached;
    int line;

    @Override
    public String toString() {
      return lost ? "CPU:" + cpu + " lost " + lostCount
          : comm + "-" + pid + " [" + cpu + "] " + ts + " " + name + ": " + rawBody;
    }
  }

  final List<Item> items = new ArrayList<>();
  /** Timestamps have 9 decimals (report -t). */
  boolean nanoseconds;

  private static final Pattern RAW = Pattern.compile(
      "^(.*?)-(\\d+)\\s+\\[(\\d+)\\]\\s+(\\d+)\\.(\\d+):\\s+([^:\\s]+):\\s?(.*)$");
  private static final Pattern LAT = Pattern.compile(
      "^(.*?)-(\\d+)\\s+(\\d+)(\\S+)\\s+(\\d+)\\.(\\d+):\\s+([^:\\s]+):\\s?(.*)$");
  private static final Pattern LOST = Pattern.compile("^CPU:(\\d+) \\[(?:(\\d+) )?EVENTS DROPPED\\]$");

  /** Fields and flags are only known from a -R and -l pair; a plugin report gives the rest. */
  boolean plain;

  /**
   * @param latReport the -l report, or null when only a plain {@code trace-cmd report} exists (then
   *     frames come from it and neither fields nor flags are known)
   * @param prefix only lines of this buffer instance ("kreplay: "), or "" for the top instance
   */
  static OracleReport read(Path rawReport, Path latReport, String prefix) throws IOException {
    OracleReport r = new OracleReport();
    r.plain = latReport == null;
    List<String> raw = lines(rawReport, prefix);
    List<String> lat = latReport == null ? raw : lines(latReport, prefix);
    int j = 0;
    Item lastStack = null;
    for (int i = 0; i < raw.size(); i++) {
      String line = raw.get(i);
      if (r.plain && line.startsWith("=>")) {
        if (lastStack != null) lastStack.frames.add(frame(line));
        continue;
      }
      if (line.startsWith("cpus=")) continue;
      Matcher lost = LOST.matcher(line);
      // The -l report has the same line at the same place.
      while (!r.plain && j < lat.size() && (lat.get(j).startsWith("cpus=") || lat.get(j).startsWith("=>"))) {
        if (lat.get(j).startsWith("=>") && lastStack != null) lastStack.frames.add(frame(lat.get(j)));
        j++;
      }
      if (lost.matches()) {
        Item it = new Item();
        it.lost = true;
        it.cpu = Integer.parseInt(lost.group(1));
        it.lostCount = lost.group(2) == null ? -1 : Long.parseLong(lost.group(2));
        it.line = i + 1;
        r.items.add(it);
        j++;
        continue;
      }
      Matcher m = RAW.matcher(line);
      if (!m.matches()) throw new IOException(rawReport + ":" + (i + 1) + ": unexpected line: " + line);
      Item it = new Item();
      it.comm = m.group(1).strip();
      it.pid = Integer.parseInt(m.group(2));
      it.cpu = Integer.parseInt(m.group(3));
      String frac = m.group(5);
      r.nanoseconds = frac.length() == 9;
      it.ts = Long.parseLong(m.group(4)) * 1_000_000_000L + Long.parseLong(frac) * (frac.length() == 9 ? 1 : 1000);
      it.name = m.group(6);
      it.rawBody = m.group(7).strip();
      it.line = i + 1;
      if (!r.plain) {
        if (j >= lat.size()) throw new IOException(latReport + ": fewer lines than " + rawReport);
        Matcher l = LAT.matcher(lat.get(j));
        if (!l.matches() || !l.group(7).equals(it.name) || Integer.parseInt(l.group(2)) != it.pid) {
          throw new IOException(latReport + ":" + (j + 1) + ": does not match " + rawReport + ":" + (i + 1));
        }
        it.flags = l.group(4);
        j++;
      }
      lastStack = it.name.equals("kernel_stack") ? it : null;
      r.items.add(it);
    }
    while (!r.plain && j < lat.size()) {
      if (lat.get(j).startsWith("=>") && lastStack != null) lastStack.frames.add(frame(lat.get(j)));
      j++;
    }
    r.attachStacks();
    return r;
  }

  /** {@code => func (ffffffff81234567)} or {@code => ffffffff81234567}: the function, or 0x + address. */
  private static String frame(String line) {
    String t = line.substring(2).strip();
    int sp = t.indexOf(' ');
    String name = sp < 0 ? t : t.substring(0, sp);
    return sp < 0 ? "0x" + name : name;
  }

  /** kreplay keeps a kernel_stack record with the event recorded just before it on its CPU. */
  private void attachStacks() {
    Item[] lastOnCpu = new Item[4096];
    for (Item it : items) {
      if (it.lost) {
        lastOnCpu[it.cpu] = null;
        continue;
      }
      Item prev = lastOnCpu[it.cpu];
      if (it.name.equals("kernel_stack") && prev != null && !prev.name.equals("kernel_stack")) {
        it.attached = true;
        prev.frames.addAll(it.frames);
        lastOnCpu[it.cpu] = it;
        continue;
      }
      lastOnCpu[it.cpu] = it;
    }
  }

  private static List<String> lines(Path p, String prefix) throws IOException {
    List<String> out = new ArrayList<>();
    try (InputStream in = open(p);
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (!prefix.isEmpty()) {
          if (!line.startsWith(prefix)) continue;
          line = line.substring(prefix.length());
        } else if (line.startsWith(INSTANCE_PREFIX)) {
          continue; // a line of the other buffer instance
        }
        out.add(line);
      }
    }
    return out;
  }

  /** The buffer instance the instance test file was recorded with ({@code -B kreplay}). */
  static final String INSTANCE_PREFIX = "kreplay: ";

  static InputStream open(Path p) throws IOException {
    InputStream in = Files.newInputStream(p);
    return p.toString().endsWith(".xz") ? new XZInputStream(in) : in;
  }
}
