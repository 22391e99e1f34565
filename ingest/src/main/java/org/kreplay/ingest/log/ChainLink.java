package org.kreplay.ingest.log;

import java.util.List;

/**
 * One entry of a circular-dependency report's chain ("-> #N (lock){...}:" and the stack where that
 * dependency was recorded). The chain is printed from the held lock's entry down to {@code #0}, the lock
 * being acquired.
 */
public record ChainLink(int n, LockLine lock, List<Frame> frames) implements java.io.Serializable {
  public ChainLink {
    frames = List.copyOf(frames);
  }
}
