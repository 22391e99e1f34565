package org.kreplay.analyze.internal;

import org.kreplay.analyze.Catalog;
import org.kreplay.analyze.CatalogTypes;
import org.kreplay.ingest.EventKind;
import org.kreplay.ingest.TraceEvent;

/**
 * What in an event shows that the traced kernel was PREEMPT_RT when the input's format does not
 * say (the text of 6.12 RT kernels has the 5 flag columns of any kernel): an RT-only function in a
 * stack or traced by the function tracer ({@code rt_spin_lock}), a kprobe on one, or an RT-only
 * thread running or woken ({@code irq_work/0}). The catalog says which are RT-only.
 */
public final class RtEvidence {
  private final Catalog catalog;

  public RtEvidence(Catalog catalog) {
    this.catalog = catalog;
  }

  /** Why {@code e} proves a PREEMPT_RT kernel, or null when it does not. */
  public String of(TraceEvent e) {
    for (int i = 0; i < e.stack().depth(); i++) {
      String f = rtOnlyFunction(e.stack().frame(i));
      if (f != null) return f + " in a kernel stack (a PREEMPT_RT-only function)";
    }
    if (e.kind() == EventKind.FUNCTION && rtOnlyFunction(e.function()) != null) {
      return "the function tracer traced " + Catalog.stripSuffix(e.function()) + " (a PREEMPT_RT-only function)";
    }
    String probed = e.bodyStartsWith('(') ? probedFunction(e.body()) : null;
    if (probed != null && rtOnlyFunction(probed) != null) return "a probe on " + probed + " (a PREEMPT_RT-only function)";
    for (String comm : new String[] {e.comm(), e.prevComm(), e.nextComm()}) {
      if (catalog.rtOnlyThread(comm) != null) return "the thread " + comm + " runs (PREEMPT_RT kernels only)";
    }
    return null;
  }

  private String rtOnlyFunction(String frame) {
    if (frame == null) return null;
    CatalogTypes.FunctionEntry f = catalog.function(frame);
    return f != null && f.rtOnly() ? Catalog.stripSuffix(frame) : null;
  }

  /** "(rt_spin_lock+0x0/0x60) lock=…", a kprobe hit as the kernel prints it: the probed symbol. */
  private static String probedFunction(String body) {
    if (body == null || body.length() < 3 || body.charAt(0) != '(') return null;
    int plus = body.indexOf('+');
    return plus > 1 && plus < 80 ? body.substring(1, plus) : null;
  }
}
