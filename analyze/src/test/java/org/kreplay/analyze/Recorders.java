package org.kreplay.analyze;

import org.kreplay.analyze.internal.context.ResultRecorder;

/** For tests of the internals: the recorder the analyzer would hand the replay for {@code result}. */
public final class Recorders {
  private Recorders() {}

  public static ResultRecorder of(AnalysisResult result) {
    return new ResultRecording(result);
  }
}
