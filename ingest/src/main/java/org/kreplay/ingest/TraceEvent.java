package org.kreplay.ingest;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One event of a trace: where and when it happened, in what context, and its decoded fields.
 *
 * <p>Readers fill one {@code TraceEvent} per call and reuse it for the next event, so a consumer
 * must not keep a reference; {@link #copyFrom} makes a private copy. Field meanings per kind are
 * listed on {@link EventKind}; slots a kind does not use hold their cleared values (-1, 0 or
 * {@code null}).
 *
 * <p>Setters are public so that readers, converters and tests can build events; analysis code only
 * reads.
 */
public final class TraceEvent {
  /** Value of {@link #pid()}, {@link #tgid()} or {@link #cpu()} when the input does not say. */
  public static final int UNKNOWN = -1;

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

  private final StackTrace stack = new StackTrace();

  public TraceEvent() {
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
  public TraceEvent copyFrom(TraceEvent other) {
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

  /** Timestamp in nanoseconds of the trace clock. */
  public long timestamp() {
    return timestamp;
  }

  public int cpu() {
    return cpu;
  }

  public int pid() {
    return pid;
  }

  public int tgid() {
    return tgid;
  }

  /** Task name as recorded ({@code <...>} when the tracer did not know it), or null. */
  public String comm() {
    return comm;
  }

  /** {@link ContextFlags} bits. */
  public int flags() {
    return flags;
  }

  /** Tracepoint name ("sched_switch"), or for function-tracer entries "function". */
  public String name() {
    return name;
  }

  public EventKind kind() {
    return kind;
  }

  /**
   * A small number standing for {@link #name()} within one reader: equal names have equal ids for
   * the reader's life, ids are dense from 0. -1 when the reader does not assign ids.
   */
  public int typeId() {
    return typeId;
  }

  /** Line of the input this event came from (1-based), or 0 when the input has no lines. */
  public long line() {
    return line;
  }

  /** The event's text after {@code name: }, as the input showed it. */
  public String body() {
    if (bodyString == null) {
      bodyString = new String(body, 0, bodyLength, StandardCharsets.UTF_8);
    }
    return bodyString;
  }

  public StackTrace stack() {
    return stack;
  }

  // ---- decoded fields (see EventKind)

  public long address() {
    return address;
  }

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

  public String prevComm() {
    return prevComm;
  }

  public int prevPid() {
    return prevPid;
  }

  public int prevPrio() {
    return prevPrio;
  }

  /** {@code TASK_*} state bits of the task switched out: 0 runnable (preempted), -1 unknown. */
  public long prevState() {
    return prevState;
  }

  public String nextComm() {
    return nextComm;
  }

  public int nextPid() {
    return nextPid;
  }

  public int nextPrio() {
    return nextPrio;
  }

  /** Lock class name ("&rq->__lock"), or null. */
  public String lockClass() {
    return lockClass;
  }

  /** Lock type as the input states it ("raw_spinlock_t", "mutex", …), or null. */
  public String lockType() {
    return lockType;
  }

  /** 0 = write/exclusive, 1 = shared reader, 2 = recursive reader. */
  public int lockRead() {
    return lockRead;
  }

  public boolean lockTry() {
    return lockTry;
  }

  // ---- setters for readers and tests

  public TraceEvent setTimestamp(long nanos) {
    this.timestamp = nanos;
    return this;
  }

  public TraceEvent setCpu(int cpu) {
    this.cpu = cpu;
    return this;
  }

  public TraceEvent setPid(int pid) {
    this.pid = pid;
    return this;
  }

  public TraceEvent setTgid(int tgid) {
    this.tgid = tgid;
    return this;
  }

  public TraceEvent setComm(String comm) {
    this.comm = comm;
    return this;
  }

  public TraceEvent setFlags(int flags) {
    this.flags = flags;
    return this;
  }

  /** Sets the name and the kind that goes with it. */
  public TraceEvent setName(String name) {
    this.name = name;
    this.kind = EventKind.forName(name);
    this.typeId = UNKNOWN;
    return this;
  }

  public TraceEvent setName(String name, EventKind kind) {
    this.name = name;
    this.kind = kind;
    this.typeId = UNKNOWN;
    return this;
  }

  /** Sets name, kind and the reader's id for the name (see {@link #typeId()}). */
  public TraceEvent setName(String name, EventKind kind, int typeId) {
    this.name = name;
    this.kind = kind;
    this.typeId = typeId;
    return this;
  }

  public TraceEvent setLine(long line) {
    this.line = line;
    return this;
  }

  public TraceEvent setBody(byte[] src, int offset, int length) {
    if (body.length < length) body = Arrays.copyOf(body, Math.max(length, body.length * 2));
    System.arraycopy(src, offset, body, 0, length);
    bodyLength = length;
    bodyString = null;
    return this;
  }

  public TraceEvent setBody(String text) {
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

  public TraceEvent setAddress(long address) {
    this.address = address;
    return this;
  }

  public TraceEvent setFunction(String function) {
    this.function = function;
    return this;
  }

  public TraceEvent setText(String text) {
    this.text = text;
    return this;
  }

  public TraceEvent setNumber(int number) {
    this.number = number;
    return this;
  }

  public TraceEvent setValue1(long v) {
    this.value1 = v;
    return this;
  }

  public TraceEvent setValue2(long v) {
    this.value2 = v;
    return this;
  }

  public TraceEvent setValue3(long v) {
    this.value3 = v;
    return this;
  }

  public TraceEvent setMode(int mode) {
    this.mode = mode;
    return this;
  }

  public TraceEvent setPrev(String comm, int pid, int prio, long state) {
    this.prevComm = comm;
    this.prevPid = pid;
    this.prevPrio = prio;
    this.prevState = state;
    return this;
  }

  public TraceEvent setNext(String comm, int pid, int prio) {
    this.nextComm = comm;
    this.nextPid = pid;
    this.nextPrio = prio;
    return this;
  }

  public TraceEvent setLock(String lockClass, String lockType, int read, boolean trylock) {
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
