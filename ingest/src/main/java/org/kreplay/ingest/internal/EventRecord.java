package org.kreplay.ingest.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.kreplay.ingest.ContextFlags;
import org.kreplay.ingest.EventKind;
import org.kreplay.ingest.TraceEvent;

/**
 * The mutable event behind the {@link TraceEvent} view. Readers fill one per call and reuse it;
 * {@link org.kreplay.ingest.TraceEventBuilder} fills one for tests and synthetic traces.
 *
 * <p>Decoded fields live in a few generic slots ({@code address}, {@code function}, {@code text},
 * {@code number}, {@code value1..3}, {@code mode}), as the canonical CSV and JSONL columns do; the
 * named accessors of {@link TraceEvent} say which slot each kind uses, here and nowhere else.
 */
public final class EventRecord implements TraceEvent {

  private long timestamp;
  private int cpu;
  private int pid;
  private int tgid;
  private String comm;
  private int flags;
  private String name;
  private EventKind kind;
  private int typeId;
  private long line;
  private boolean contextOnly;

  private byte[] body = new byte[128];
  private int bodyLength;
  private String bodyString;

  private long address;
  private String function;
  private String text;
  private int number;
  private long value1;
  private long value2;
  private long value3;
  private int mode;

  private String prevComm;
  private int prevPid;
  private int prevPrio;
  private long prevState;
  private String nextComm;
  private int nextPid;
  private int nextPrio;

  private String lockClass;
  private String lockType;
  private int lockRead;
  private boolean lockTry;

  private final FrameStack stack = new FrameStack();

  public EventRecord() {
    clear();
  }

  /** Resets every field to "absent". */
  public void clear() {
    timestamp = 0;
    cpu = UNKNOWN;
    pid = UNKNOWN;
    tgid = UNKNOWN;
    comm = null;
    flags = ContextFlags.UNKNOWN;
    name = null;
    kind = EventKind.OTHER;
    typeId = UNKNOWN;
    line = 0;
    contextOnly = false;
    bodyLength = 0;
    bodyString = "";
    clearFields();
    stack.clear();
  }

  /** Resets the decoded fields, keeping the header and body. */
  public void clearFields() {
    address = 0;
    function = null;
    text = null;
    number = UNKNOWN;
    value1 = UNKNOWN;
    value2 = UNKNOWN;
    value3 = UNKNOWN;
    mode = UNKNOWN;
    prevComm = null;
    prevPid = UNKNOWN;
    prevPrio = UNKNOWN;
    prevState = UNKNOWN;
    nextComm = null;
    nextPid = UNKNOWN;
    nextPrio = UNKNOWN;
    lockClass = null;
    lockType = null;
    lockRead = 0;
    lockTry = false;
  }

  /** Makes this event an independent copy of {@code other}. */
  public EventRecord copyFrom(EventRecord other) {
    timestamp = other.timestamp;
    cpu = other.cpu;
    pid = other.pid;
    tgid = other.tgid;
    comm = other.comm;
    flags = other.flags;
    name = other.name;
    kind = other.kind;
    typeId = other.typeId;
    line = other.line;
    contextOnly = other.contextOnly;
    setBody(other.body, 0, other.bodyLength);
    bodyString = other.bodyLength == 0 ? other.bodyString : null;
    address = other.address;
    function = other.function;
    text = other.text;
    number = other.number;
    value1 = other.value1;
    value2 = other.value2;
    value3 = other.value3;
    mode = other.mode;
    prevComm = other.prevComm;
    prevPid = other.prevPid;
    prevPrio = other.prevPrio;
    prevState = other.prevState;
    nextComm = other.nextComm;
    nextPid = other.nextPid;
    nextPrio = other.nextPrio;
    lockClass = other.lockClass;
    lockType = other.lockType;
    lockRead = other.lockRead;
    lockTry = other.lockTry;
    stack.copyFrom(other.stack);
    return this;
  }

  // ---- header

  @Override
  public long timestamp() {
    return timestamp;
  }

  @Override
  public int cpu() {
    return cpu;
  }

  @Override
  public int pid() {
    return pid;
  }

  @Override
  public int tgid() {
    return tgid;
  }

  @Override
  public String comm() {
    return comm;
  }

  @Override
  public int flags() {
    return flags;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public EventKind kind() {
    return kind;
  }

  @Override
  public int typeId() {
    return typeId;
  }

  @Override
  public boolean contextOnly() {
    return contextOnly;
  }

  /** Marks the event as delivered for the replay's context only (see ReadOptions#keepContext). */
  public EventRecord setContextOnly(boolean contextOnly) {
    this.contextOnly = contextOnly;
    return this;
  }

  @Override
  public long line() {
    return line;
  }

  @Override
  public String body() {
    if (bodyString == null) {
      bodyString = new String(body, 0, bodyLength, StandardCharsets.UTF_8);
    }
    return bodyString;
  }

  @Override
  public FrameStack stack() {
    return stack;
  }

  // ---- decoded fields: the slots, for the readers and writers of the canonical formats

  @Override
  public long address() {
    return address;
  }

  @Override
  public String function() {
    return function;
  }

  public String text() {
    return text;
  }

  public int number() {
    return number;
  }

  public long value1() {
    return value1;
  }

  public long value2() {
    return value2;
  }

  public long value3() {
    return value3;
  }

  public int mode() {
    return mode;
  }

  @Override
  public String prevComm() {
    return prevComm;
  }

  @Override
  public int prevPid() {
    return prevPid;
  }

  @Override
  public int prevPrio() {
    return prevPrio;
  }

  @Override
  public long prevState() {
    return prevState;
  }

  @Override
  public String nextComm() {
    return nextComm;
  }

  @Override
  public int nextPid() {
    return nextPid;
  }

  @Override
  public int nextPrio() {
    return nextPrio;
  }

  @Override
  public String lockClass() {
    return lockClass;
  }

  @Override
  public String lockType() {
    return lockType;
  }

  @Override
  public int lockRead() {
    return lockRead;
  }

  @Override
  public boolean lockTry() {
    return lockTry;
  }

  // ---- the named view of the slots (see TraceEvent)

  @Override
  public TraceEvent copy() {
    return new EventRecord().copyFrom(this);
  }

  @Override
  public boolean bodyStartsWith(char c) {
    return bodyLength > 0 && body[0] == c;
  }

  @Override
  public int irq() {
    return number;
  }

  @Override
  public int vector() {
    return number;
  }

  @Override
  public String handlerName() {
    return text;
  }

  @Override
  public boolean neverThreaded() {
    return kind == EventKind.IRQ_HANDLER_ENTRY && mode == 0;
  }

  @Override
  public long ret() {
    return value1;
  }

  @Override
  public long durationNs() {
    return value1;
  }

  @Override
  public int targetCpu() {
    return number;
  }

  @Override
  public int requestedCpu() {
    return (int) value1;
  }

  @Override
  public int origCpu() {
    return (int) value1;
  }

  @Override
  public String workqueue() {
    return text;
  }

  @Override
  public long expires() {
    return value1;
  }

  @Override
  public long softexpires() {
    return value2;
  }

  @Override
  public long now() {
    return value3;
  }

  @Override
  public int hrtimerMode() {
    return mode;
  }

  @Override
  public String clockId() {
    return text;
  }

  @Override
  public long bytesRequested() {
    return value1;
  }

  @Override
  public long bytesAllocated() {
    return value2;
  }

  @Override
  public long order() {
    return value1;
  }

  @Override
  public String gfpFlags() {
    return text;
  }

  @Override
  public String cacheName() {
    return text;
  }

  @Override
  public int contentionFlags() {
    return mode;
  }

  @Override
  public String rcuFlavour() {
    return text;
  }

  @Override
  public long offset() {
    return value1;
  }

  @Override
  public String parent() {
    return text;
  }

  @Override
  public String message() {
    return text;
  }

  @Override
  public long lostEvents() {
    return value1;
  }

  // ---- setters for readers

  public EventRecord setTimestamp(long nanos) {
    this.timestamp = nanos;
    return this;
  }

  public EventRecord setCpu(int cpu) {
    this.cpu = cpu;
    return this;
  }

  public EventRecord setPid(int pid) {
    this.pid = pid;
    return this;
  }

  public EventRecord setTgid(int tgid) {
    this.tgid = tgid;
    return this;
  }

  public EventRecord setComm(String comm) {
    this.comm = comm;
    return this;
  }

  public EventRecord setFlags(int flags) {
    this.flags = flags;
    return this;
  }

  /** Sets the name and the kind that goes with it. */
  public EventRecord setName(String name) {
    this.name = name;
    this.kind = EventKind.forName(name);
    this.typeId = UNKNOWN;
    return this;
  }

  public EventRecord setName(String name, EventKind kind) {
    this.name = name;
    this.kind = kind;
    this.typeId = UNKNOWN;
    return this;
  }

  /** Sets name, kind and the reader's id for the name (see {@link #typeId()}). */
  public EventRecord setName(String name, EventKind kind, int typeId) {
    this.name = name;
    this.kind = kind;
    this.typeId = typeId;
    return this;
  }

  public EventRecord setLine(long line) {
    this.line = line;
    return this;
  }

  public EventRecord setBody(byte[] src, int offset, int length) {
    if (body.length < length) body = Arrays.copyOf(body, Math.max(length, body.length * 2));
    System.arraycopy(src, offset, body, 0, length);
    bodyLength = length;
    bodyString = null;
    return this;
  }

  public EventRecord setBody(String text) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    setBody(b, 0, b.length);
    bodyString = text;
    return this;
  }

  /** The body bytes (valid up to {@link #bodyLength()}), for readers that decode fields from them. */
  public byte[] bodyBytes() {
    return body;
  }

  public int bodyLength() {
    return bodyLength;
  }

  public EventRecord setAddress(long address) {
    this.address = address;
    return this;
  }

  public EventRecord setFunction(String function) {
    this.function = function;
    return this;
  }

  public EventRecord setText(String text) {
    this.text = text;
    return this;
  }

  public EventRecord setNumber(int number) {
    this.number = number;
    return this;
  }

  public EventRecord setValue1(long v) {
    this.value1 = v;
    return this;
  }

  public EventRecord setValue2(long v) {
    this.value2 = v;
    return this;
  }

  public EventRecord setValue3(long v) {
    this.value3 = v;
    return this;
  }

  public EventRecord setMode(int mode) {
    this.mode = mode;
    return this;
  }

  public EventRecord setPrev(String comm, int pid, int prio, long state) {
    this.prevComm = comm;
    this.prevPid = pid;
    this.prevPrio = prio;
    this.prevState = state;
    return this;
  }

  public EventRecord setNext(String comm, int pid, int prio) {
    this.nextComm = comm;
    this.nextPid = pid;
    this.nextPrio = prio;
    return this;
  }

  public EventRecord setLock(String lockClass, String lockType, int read, boolean trylock) {
    this.lockClass = lockClass;
    this.lockType = lockType;
    this.lockRead = read;
    this.lockTry = trylock;
    return this;
  }

  @Override
  public String toString() {
    return String.format(
        "%s-%d [%03d] %s %d.%09d: %s: %s",
        comm, pid, cpu, ContextFlags.render(flags), timestamp / 1_000_000_000L,
        timestamp % 1_000_000_000L, name, body());
  }
}
