package org.kreplay.ingest;

import java.util.List;
import org.kreplay.ingest.internal.EventRecord;

/**
 * Builds events no reader produced: tests, and the replay of a kernel report as a trace. Fields
 * are named as on {@link TraceEvent}; the ones not set keep their absent values. A builder can be
 * kept and changed after {@link #build}; each built event is an independent copy.
 */
public final class TraceEventBuilder {
  private final EventRecord e = new EventRecord();

  TraceEventBuilder() {}

  TraceEventBuilder copyOf(TraceEvent event) {
    // every event is a record: readers fill them, builders build them
    if (!(event instanceof EventRecord r)) throw new IllegalArgumentException("not an event kreplay made: " + event.getClass());
    e.copyFrom(r);
    return this;
  }

  /** An independent, unchanging event with the fields set so far. */
  public TraceEvent build() {
    return e.copy();
  }

  // ---- header

  public TraceEventBuilder timestamp(long nanos) {
    e.setTimestamp(nanos);
    return this;
  }

  public TraceEventBuilder cpu(int cpu) {
    e.setCpu(cpu);
    return this;
  }

  public TraceEventBuilder pid(int pid) {
    e.setPid(pid);
    return this;
  }

  public TraceEventBuilder tgid(int tgid) {
    e.setTgid(tgid);
    return this;
  }

  public TraceEventBuilder comm(String comm) {
    e.setComm(comm);
    return this;
  }

  /** {@link ContextFlags} bits. */
  public TraceEventBuilder flags(int flags) {
    e.setFlags(flags);
    return this;
  }

  /** The tracepoint name; the kind is the one {@link EventKind#forName} gives it. */
  public TraceEventBuilder name(String name) {
    e.setName(name);
    return this;
  }

  public TraceEventBuilder name(String name, EventKind kind) {
    e.setName(name, kind);
    return this;
  }

  public TraceEventBuilder line(long line) {
    e.setLine(line);
    return this;
  }

  public TraceEventBuilder body(String body) {
    e.setBody(body);
    return this;
  }

  /** Replaces the stack with {@code frames}, innermost first. */
  public TraceEventBuilder stack(List<String> frames) {
    e.stack().clear();
    for (String f : frames) e.stack().add(f);
    return this;
  }

  /** Replaces the stack with {@code frames}, innermost first. */
  public TraceEventBuilder stack(String... frames) {
    return stack(List.of(frames));
  }

  // ---- decoded fields (see TraceEvent for the kinds that have each)

  public TraceEventBuilder address(long address) {
    e.setAddress(address);
    return this;
  }

  public TraceEventBuilder function(String function) {
    e.setFunction(function);
    return this;
  }

  public TraceEventBuilder irq(int irq) {
    e.setNumber(irq);
    return this;
  }

  public TraceEventBuilder vector(int vector) {
    e.setNumber(vector);
    return this;
  }

  public TraceEventBuilder handlerName(String name) {
    e.setText(name);
    return this;
  }

  public TraceEventBuilder neverThreaded(boolean neverThreaded) {
    e.setMode(neverThreaded ? 0 : TraceEvent.UNKNOWN);
    return this;
  }

  public TraceEventBuilder ret(long ret) {
    e.setValue1(ret);
    return this;
  }

  public TraceEventBuilder durationNs(long nanos) {
    e.setValue1(nanos);
    return this;
  }

  public TraceEventBuilder targetCpu(int cpu) {
    e.setNumber(cpu);
    return this;
  }

  public TraceEventBuilder requestedCpu(int cpu) {
    e.setValue1(cpu);
    return this;
  }

  public TraceEventBuilder origCpu(int cpu) {
    e.setValue1(cpu);
    return this;
  }

  public TraceEventBuilder workqueue(String workqueue) {
    e.setText(workqueue);
    return this;
  }

  public TraceEventBuilder expires(long expires) {
    e.setValue1(expires);
    return this;
  }

  public TraceEventBuilder softexpires(long softexpires) {
    e.setValue2(softexpires);
    return this;
  }

  public TraceEventBuilder now(long now) {
    e.setValue3(now);
    return this;
  }

  public TraceEventBuilder hrtimerMode(int modeBits) {
    e.setMode(modeBits);
    return this;
  }

  public TraceEventBuilder clockId(String clockId) {
    e.setText(clockId);
    return this;
  }

  public TraceEventBuilder prev(String comm, int pid, int prio, long state) {
    e.setPrev(comm, pid, prio, state);
    return this;
  }

  public TraceEventBuilder next(String comm, int pid, int prio) {
    e.setNext(comm, pid, prio);
    return this;
  }

  public TraceEventBuilder bytes(long requested, long allocated) {
    e.setValue1(requested).setValue2(allocated);
    return this;
  }

  public TraceEventBuilder order(long order) {
    e.setValue1(order);
    return this;
  }

  public TraceEventBuilder gfpFlags(String gfpFlags) {
    e.setText(gfpFlags);
    return this;
  }

  public TraceEventBuilder cacheName(String cacheName) {
    e.setText(cacheName);
    return this;
  }

  public TraceEventBuilder contentionFlags(int flags) {
    e.setMode(flags);
    return this;
  }

  public TraceEventBuilder lock(String lockClass, String lockType, int read, boolean trylock) {
    e.setLock(lockClass, lockType, read, trylock);
    return this;
  }

  public TraceEventBuilder rcuFlavour(String flavour) {
    e.setText(flavour);
    return this;
  }

  public TraceEventBuilder offset(long offset) {
    e.setValue1(offset);
    return this;
  }

  public TraceEventBuilder parent(String parent) {
    e.setText(parent);
    return this;
  }

  public TraceEventBuilder message(String message) {
    e.setText(message);
    return this;
  }

  public TraceEventBuilder lostEvents(long count) {
    e.setValue1(count);
    return this;
  }
}
