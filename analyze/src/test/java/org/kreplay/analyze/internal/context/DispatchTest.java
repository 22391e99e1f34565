package org.kreplay.analyze.internal.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kreplay.analyze.AnalysisResult;
import org.kreplay.analyze.Recorders;
import org.kreplay.ingest.EventKind;
import org.kreplay.ingest.TraceEvent;
import org.kreplay.ingest.TraceEventBuilder;

class DispatchTest {
  private final CpuContext cpu = new ContextTracker(Recorders.of(new AnalysisResult())).cpu(0);

  @Test
  void anEventRunsTheHandlersOfItsKindInRegistrationOrder() {
    List<String> ran = new ArrayList<>();
    Dispatch d = new Dispatch()
        .onEveryCpuEvent((e, c) -> ran.add("before"))
        .on(EventKind.SCHED_SWITCH, (e, c) -> ran.add("deferrals"))
        .onCpu(EnumSet.of(EventKind.SCHED_SWITCH, EventKind.SCHED_WAKING), (e, c) -> ran.add("rules"))
        .onCpu(EventKind.LOCK_ACQUIRE, (e, c) -> ran.add("locks"));
    d.dispatch(TraceEvent.builder().name("sched_switch", EventKind.SCHED_SWITCH).build(), cpu);
    assertThat(ran).containsExactly("before", "deferrals", "rules");
  }

  @Test
  void anEventWithoutACpuRunsOnlyTheHandlersThatNeedNone() {
    List<String> ran = new ArrayList<>();
    Dispatch d = new Dispatch()
        .on(EventKind.SCHED_WAKING, (e, c) -> ran.add("deferrals"))
        .onCpu(EventKind.SCHED_WAKING, (e, c) -> ran.add("rules"));
    d.dispatch(TraceEvent.builder().name("sched_waking", EventKind.SCHED_WAKING).build(), null);
    assertThat(ran).containsExactly("deferrals");
    assertThat(d.handledKinds()).containsExactly(EventKind.SCHED_WAKING);
  }

  @Test
  void handlersAreRegisteredBeforeTheFirstEvent() {
    Dispatch d = new Dispatch();
    d.dispatch(TraceEvent.builder().name("x", EventKind.OTHER).build(), cpu);
    assertThatThrownBy(() -> d.onCpu(EventKind.OTHER, (e, c) -> {})).isInstanceOf(IllegalStateException.class);
  }
}
