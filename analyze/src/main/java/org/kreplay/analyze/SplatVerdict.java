package org.kreplay.analyze;

import java.util.List;
import org.kreplay.ingest.log.Splat;

/**
 * What kreplay makes of one kernel report: its kind, the culprit and chain, the context the call
 * trace ran in, the lock classes, the verdict of the replay through the kernel model (or the
 * kernel's own words when the model has nothing to replay), a remedy hint and the stable signature
 * reports are grouped by.
 *
 * @param kind the report's kind label; for a call trace without a header ("stack-dump") the kind
 *     the replay found, when it found one
 * @param reproduced whether replaying the call trace through the model gave a finding (for a
 *     lockdep report: of the kind lockdep reported)
 * @param modelKinds the kinds of every finding of the replay
 * @param syzkaller the report as syzkaller reads it (title, type, corrupted, blamed frame), or null
 *     when its text has no line syzkaller starts a report at (a bare call trace)
 * @param frame the function syzkaller blames: its title's frame, else the first call-trace frame its
 *     skip lists leave; null when there is none
 * @param blame why {@code culprit} and {@code frame} differ, or null when they agree
 */
public record SplatVerdict(Splat splat, String kind, String signature, String culprit, List<String> chain,
    String context, List<String> locks, String message, String remedy, String rules, boolean reproduced,
    List<String> modelKinds, SyzkallerReading syzkaller, String frame, String blame) implements java.io.Serializable {

  /** syzkaller's normalised title, or null when it would not title this report. */
  public String syzTitle() {
    return syzkaller == null ? null : syzkaller.title();
  }
}
