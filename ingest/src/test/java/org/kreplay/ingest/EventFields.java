package org.kreplay.ingest;

import java.util.ArrayList;
import java.util.List;

/** Every field of the public event view as one line, to compare events read two ways. */
public final class EventFields {
  private EventFields() {}

  public static String all(TraceEvent e) {
    List<String> v = new ArrayList<>();
    v.add(e.timestamp() + " cpu=" + e.cpu() + " pid=" + e.pid() + " tgid=" + e.tgid() + " comm=" + e.comm());
    v.add(ContextFlags.render(e.flags()) + " flags=" + e.flags() + " " + e.name() + " " + e.kind());
    v.add(e.kind().isMarker() ? "" : e.body());
    v.add("stack=" + String.join(" <- ", e.stack().frames()));
    v.add(fields(e));
    return String.join(" | ", v);
  }

  /** The decoded fields only: what a body decodes to. */
  public static String fields(TraceEvent e) {
    List<String> v = new ArrayList<>();
    v.add("address=" + Long.toHexString(e.address()) + " function=" + e.function());
    v.add("irq=" + e.irq() + " vector=" + e.vector() + " handler=" + e.handlerName() + " neverThreaded="
        + e.neverThreaded() + " ret=" + e.ret() + " duration=" + e.durationNs());
    v.add("target=" + e.targetCpu() + " requested=" + e.requestedCpu() + " orig=" + e.origCpu() + " wq=" + e.workqueue());
    v.add("expires=" + e.expires() + " soft=" + e.softexpires() + " now=" + e.now() + " mode=" + e.hrtimerMode()
        + " clock=" + e.clockId());
    v.add("prev=" + e.prevComm() + "/" + e.prevPid() + "/" + e.prevPrio() + "/" + e.prevState()
        + " next=" + e.nextComm() + "/" + e.nextPid() + "/" + e.nextPrio());
    v.add("bytes=" + e.bytesRequested() + "/" + e.bytesAllocated() + " order=" + e.order() + " gfp=" + e.gfpFlags()
        + " cache=" + e.cacheName());
    v.add("contention=" + e.contentionFlags() + " lock=" + e.lockClass() + "/" + e.lockType() + "/" + e.lockRead()
        + "/" + e.lockTry());
    v.add("rcu=" + e.rcuFlavour() + " offset=" + e.offset() + " parent=" + e.parent() + " message=" + e.message()
        + " lost=" + e.lostEvents());
    return String.join(" | ", v);
  }
}
