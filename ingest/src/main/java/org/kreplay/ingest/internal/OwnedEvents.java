package org.kreplay.ingest.internal;

import java.io.IOException;

/**
 * A reader that can hand over the event object it returns instead of having it copied: the caller
 * gives a replacement object, which the reader uses from then on.
 */
public interface OwnedEvents {
  /** The next event, now owned by the caller, or null at the end; {@code replacement} is the reader's. */
  EventRecord nextOwned(EventRecord replacement) throws IOException;
}
