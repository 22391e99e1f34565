package org.kreplay.ingest.internal;

import org.kreplay.ingest.TraceInfo;

/**
 * The canonical formats store nanoseconds whatever the source had: when every timestamp is a
 * whole microsecond, the events came from µs timestamps (the kernel's text) and the input's
 * resolution is 1 µs, as it was before conversion.
 */
final class ResolutionProbe {
  private long resolution = 1_000;
  private boolean seen;

  void see(long timestamp, TraceInfo info) {
    if (resolution > 1 && timestamp % resolution != 0) resolution = 1;
    if (!seen || resolution == 1) info.setTimestampResolutionNs(resolution);
    seen = true;
  }
}
