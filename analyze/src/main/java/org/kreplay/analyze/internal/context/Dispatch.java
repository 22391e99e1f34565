package org.kreplay.analyze.internal.context;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.kreplay.ingest.EventKind;
import org.kreplay.ingest.TraceEvent;

/**
 * From event kind to the handlers that act on it, built once per replay. Each part of the replay
 * (context tracking, each deferral mechanism, each kernel rule) registers the kinds it handles, as
 * Trace Compass's kernel state provider maps event names to handlers; an event then runs exactly
 * the handlers registered for its kind, in registration order — which is the order of the parts.
 */
public final class Dispatch {
  /** Acts on one event; {@code cpu} is the event's CPU context, or null for an event without a CPU. */
  @FunctionalInterface
  public interface Handler {
    void on(TraceEvent e, CpuContext cpu);
  }

  private record Entry(Set<EventKind> kinds, Handler handler, boolean needsCpu) {}

  private final List<Entry> entries = new ArrayList<>();
  private Handler[][] withCpu;
  private Handler[][] withoutCpu;

  /** Registers {@code handler} for {@code kinds}; it runs whether or not the event has a CPU. */
  public Dispatch on(Set<EventKind> kinds, Handler handler) {
    return add(kinds, handler, false);
  }

  public Dispatch on(EventKind kind, Handler handler) {
    return add(EnumSet.of(kind), handler, false);
  }

  /** Registers {@code handler} for {@code kinds}, run only for events placed on a CPU. */
  public Dispatch onCpu(Set<EventKind> kinds, Handler handler) {
    return add(kinds, handler, true);
  }

  public Dispatch onCpu(EventKind kind, Handler handler) {
    return add(EnumSet.of(kind), handler, true);
  }

  /** Registers {@code handler} for every kind, on events placed on a CPU. */
  public Dispatch onEveryCpuEvent(Handler handler) {
    return add(EnumSet.allOf(EventKind.class), handler, true);
  }

  private Dispatch add(Set<EventKind> kinds, Handler handler, boolean needsCpu) {
    if (withCpu != null) throw new IllegalStateException("handlers are registered before the first event");
    entries.add(new Entry(EnumSet.copyOf(kinds), handler, needsCpu));
    return this;
  }

  /** Runs the handlers registered for {@code e}'s kind. */
  public void dispatch(TraceEvent e, CpuContext cpu) {
    if (withCpu == null) build();
    Handler[] handlers = (cpu != null ? withCpu : withoutCpu)[e.kind().ordinal()];
    for (Handler h : handlers) h.on(e, cpu);
  }

  /** One pass over the entries (a replay is built per kernel report too, so this runs often). */
  private void build() {
    EventKind[] kinds = EventKind.values();
    List<List<Handler>> with = new ArrayList<>(kinds.length);
    List<List<Handler>> without = new ArrayList<>(kinds.length);
    for (int k = 0; k < kinds.length; k++) {
      with.add(new ArrayList<>());
      without.add(new ArrayList<>());
    }
    for (Entry x : entries) {
      for (EventKind k : x.kinds) {
        with.get(k.ordinal()).add(x.handler);
        if (!x.needsCpu) without.get(k.ordinal()).add(x.handler);
      }
    }
    Handler[][] w = new Handler[kinds.length][];
    Handler[][] wo = new Handler[kinds.length][];
    for (int k = 0; k < kinds.length; k++) {
      w[k] = with.get(k).toArray(NONE);
      wo[k] = without.get(k).toArray(NONE);
    }
    withoutCpu = wo;
    withCpu = w;
  }

  private static final Handler[] NONE = new Handler[0];

  /** The kinds some handler is registered for (for tests and the design document). */
  public Set<EventKind> handledKinds() {
    Set<EventKind> all = EnumSet.noneOf(EventKind.class);
    for (Entry x : entries) all.addAll(x.kinds);
    return all;
  }
}
