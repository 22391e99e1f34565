package org.kreplay.ingest.internal.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kreplay.ingest.log.SplatKind;

/** Report headers in the spellings of current and old kernels, from their format strings. */
class HeadersTest {
  private static Headers.Match match(String line) {
    byte[] b = line.getBytes(StandardCharsets.UTF_8);
    return Headers.match(b, 0, b.length);
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', value = {
    "SLEEP_IN_ATOMIC|BUG: sleeping function called from invalid context at kernel/locking/spinlock_rt.c:48",
    "INVALID_WAIT_CONTEXT|[ BUG: Invalid wait context ]",
    "SCHEDULE_WHILE_ATOMIC|BUG: scheduling while atomic: swapper/6/0/0x00000002",
    "CIRCULAR_DEPENDENCY|WARNING: possible circular locking dependency detected",
    "CIRCULAR_DEPENDENCY|[ INFO: possible circular locking dependency detected ]",
    "CIRCULAR_DEPENDENCY|INFO: possible circular locking dependency detected",
    "RECURSIVE_LOCKING|WARNING: possible recursive locking detected",
    "RECURSIVE_LOCKING|[ INFO: possible recursive locking detected ]",
    "INCONSISTENT_LOCK_STATE|WARNING: inconsistent lock state",
    "INCONSISTENT_LOCK_STATE|[ INFO: inconsistent lock state ]",
    "IRQ_SAFE_TO_UNSAFE|WARNING: SOFTIRQ-safe -> SOFTIRQ-unsafe lock order detected",
    "IRQ_SAFE_TO_UNSAFE|WARNING: HARDIRQ-READ-safe -> HARDIRQ-READ-unsafe lock order detected",
    "IRQ_SAFE_TO_UNSAFE|[ INFO: SOFTIRQ-safe -> SOFTIRQ-unsafe lock order detected ]",
    "IRQ_LOCK_INVERSION|WARNING: possible irq lock inversion dependency detected",
    "IRQ_LOCK_INVERSION|[ INFO: possible irq lock inversion dependency detected ]",
    "BAD_UNLOCK_BALANCE|WARNING: bad unlock balance detected!",
    "BAD_UNLOCK_BALANCE|[ BUG: bad unlock balance detected! ]",
    "SUSPICIOUS_RCU_USAGE|WARNING: suspicious RCU usage",
    "SUSPICIOUS_RCU_USAGE|[ INFO: suspicious RCU usage. ]",
    "SMP_PROCESSOR_ID_PREEMPTIBLE|BUG: using smp_processor_id() in preemptible [00000000] code: swapper/0/1",
    "SMP_PROCESSOR_ID_PREEMPTIBLE|BUG: using __this_cpu_read() in preemptible [00000000] code: kworker/0:1/23",
    "SPINLOCK_BUG|BUG: spinlock lockup suspected on CPU#19, trinity-c19/17092",
    "SPINLOCK_BUG|BUG: spinlock bad magic on CPU#0, swapper/0/1",
    "SPINLOCK_BUG|BUG: rwlock wrong owner on CPU#1, x/2",
    "WORKQUEUE_LOCKUP|BUG: workqueue lockup - pool cpus=0 node=0 flags=0x0 nice=0 stuck for 59s!",
    "SOFT_LOCKUP|watchdog: BUG: soft lockup - CPU#1 stuck for 26s! [ksoftirqd/1:23]",
    "SOFT_LOCKUP|NMI watchdog: BUG: soft lockup - CPU#0 stuck for 24s! [dd:8103]",
    "SOFT_LOCKUP|BUG: soft lockup - CPU#3 stuck for 11s! [syz-executor:643]",
    "RCU_STALL|rcu: INFO: rcu_preempt self-detected stall on CPU",
    "RCU_STALL|rcu: INFO: rcu_sched detected stalls on CPUs/tasks:",
    "RCU_STALL|INFO: rcu_sched detected stalls on CPUs/tasks:",
    "RCU_STALL|INFO: rcu_preempt detected expedited stalls on CPUs/tasks: { 1-... } 21 jiffies s: 93 root: 0x2/.",
    "HUNG_TASK|INFO: task kworker/0:2:7095 blocked for more than 120 seconds.",
    "WARNING|WARNING: CPU: 0 PID: 0 at kernel/irq/handle.c:159 __handle_irq_event_percpu+0x1e0/0x270",
    "WARNING|WARNING: at arch/x86/kernel/irq.c:182 do_IRQ+0x126/0x140()",
    "WARNING|WARNING: kernel/locking/rwsem.c:1368 at up_write+0x3a2/0x420, CPU#1: syz-executor359/6969",
    "BUG|kernel BUG at mm/slub.c:294!",
    "BUG|BUG: KASAN: slab-use-after-free in foo+0x1/0x2",
    "BUG|BUG: Bad page state in process swapper  pfn:0b8b8",
    "OOPS|BUG: kernel NULL pointer dereference, address: 0000000000000008",
    "OOPS|BUG: unable to handle page fault for address: ffffffffdeadbeef",
    "OOPS|BUG: unable to handle kernel paging request at ffff88002bde1e40",
    "OOPS|Unable to handle kernel NULL pointer dereference at virtual address 0000000000000000",
    "OOPS|Oops: 0000 [#1] SMP NOPTI",
    "OOPS|general protection fault, probably for non-canonical address 0xdffffc0000000000: 0000 [#1] PREEMPT SMP KASAN",
    "OOPS|invalid opcode: 0000 [#1] SMP PTI",
    "OOPS|Internal error: Oops: 96000005 [#1] PREEMPT SMP",
  })
  void headers(SplatKind kind, String line) {
    Headers.Match m = match(line);
    assertThat(m).isNotNull();
    assertThat(m.type).isEqualTo(Headers.Type.HEADER);
    assertThat(m.kind).isEqualTo(kind);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "INFO: lockdep is turned off.",
    "INFO: task swapper/0:1 is blocked on a mutex likely owned by task swapper/0:1.",
    "Booting paravirtualized kernel on bare hardware",
    "devtmpfs: initialized",
    "invalid argument",
    "[drm] Initialized",
    "rcu: Hierarchical RCU implementation.",
    "watchdog: initialized",
    "===== short",
  })
  void ordinaryLinesAreNoHeaders(String line) {
    assertThat(match(line)).isNull();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "------------[ cut here ]------------|CUT_HERE",
    "---[ end trace 0000000000000000 ]---|END_MARKER",
    "---[ end Kernel panic - not syncing: Fatal exception ]---|END_MARKER",
    "======================================================|BANNER",
  })
  void boundaries(String line, Headers.Type type) {
    assertThat(match(line).type).isEqualTo(type);
  }

  @org.junit.jupiter.api.Test
  void genericLockdepWarningsNeedTheirBanner() {
    assertThat(match("WARNING: held lock freed!").needsBanner).isTrue();
    assertThat(match("WARNING: CPU: 1 PID: 2 at a.c:1 f").needsBanner).isFalse();
  }
}
