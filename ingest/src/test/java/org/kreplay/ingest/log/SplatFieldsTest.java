package org.kreplay.ingest.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What the reader makes of each real report, field by field: kind, task, CPU, kernel, decoded
 * preempt_count, locks with their {outer:inner} wait types, frames with their sections. The golden
 * files pin everything; these say what matters and why.
 */
class SplatFieldsTest {
  private static List<String> functions(List<Frame> frames) {
    return frames.stream().map(Frame::function).collect(Collectors.toList());
  }

  private static Frame frame(Splat s, String function) {
    return s.frames().stream().filter(f -> f.function().equals(function)).findFirst()
        .orElseThrow(() -> new AssertionError("no frame " + function + " in " + functions(s.frames())));
  }

  @Test
  void sleepInAtomicOnPreemptRtFromAnIpi() throws IOException {
    SplatText.Result r = TestLogs.read("sleep-in-atomic-rt-tagged.log");
    Splat s = TestLogs.only(r);
    assertThat(s.kind()).isEqualTo(SplatKind.SLEEP_IN_ATOMIC);
    assertThat(s.header()).isEqualTo("BUG: sleeping function called from invalid context at kernel/locking/spinlock_rt.c:48");
    assertThat(s.location()).isEqualTo("kernel/locking/spinlock_rt.c:48");
    assertThat(s.callerTag()).isEqualTo("C1");
    assertThat(s.timestamp()).isEqualTo(163.910989);
    assertThat(s.cpu()).isEqualTo(1);
    assertThat(s.pid()).isEqualTo(0);
    assertThat(s.comm()).isEqualTo("swapper/1");
    assertThat(s.kernelRelease()).isEqualTo("6.8.0-rc4-rt4-yocto-preempt-rt+");
    assertThat(s.taint()).isEqualTo("G W");
    assertThat(s.inAtomic()).isTrue();
    assertThat(s.irqsDisabled()).isTrue();
    assertThat(s.preemptCount()).isEqualTo(0x10001);
    assertThat(s.expectedPreemptCount()).isEqualTo(0);
    PreemptCount pc = s.decodedPreemptCount();
    assertThat(pc.hardirq()).isEqualTo(1);
    assertThat(pc.preempt()).isEqualTo(1);
    assertThat(pc.inHardirq()).isTrue();
    assertThat(pc.inTask()).isFalse();
    assertThat(s.rcuNestDepth()).isZero();
    assertThat(s.preemptionDisabledAt()).isEqualTo("stack_depot_save_flags");
    assertThat(s.irqEventStamps()).containsEntry("irq event stamp", "30964");
    assertThat(frame(s, "rt_spin_lock").section()).isEqualTo(Section.IRQ);
    assertThat(frame(s, "rt_spin_lock").sectionMarked()).isTrue();
    assertThat(frame(s, "asm_sysvec_call_function_single").section()).isEqualTo(Section.TASK);
    Frame rip = frame(s, "default_idle");
    assertThat(rip.raw()).startsWith("RIP: 0010:");
    assertThat(rip.section()).isEqualTo(Section.TASK);
    assertThat(s.frames().get(0).function()).isEqualTo("dump_stack_lvl");
    assertThat(s.frames().get(0).offset()).isEqualTo(0x88);
    assertThat(s.frames().get(0).size()).isEqualTo(0xd0);
    assertThat(frame(s, "_raw_spin_unlock_irqrestore").unreliable()).isTrue();
    assertThat(s.truncated()).isFalse();
    assertThat(s.corrupted()).isFalse();
    assertThat(r.info().callerTags()).isTrue();
    assertThat(r.info().format()).isEqualTo(LogFormat.DMESG);
  }

  @Test
  void theSeedsHeaderlessSplatIsAStackDumpWithoutSections() throws IOException {
    Splat s = TestLogs.only(TestLogs.read("seed-put-task-struct.txt"));
    assertThat(s.kind()).isEqualTo(SplatKind.STACK_DUMP);
    assertThat(s.cpu()).isEqualTo(1);
    assertThat(s.pid()).isEqualTo(2848);
    assertThat(s.comm()).isEqualTo("life");
    assertThat(s.taint()).isEqualTo("G W");
    assertThat(s.hardware()).isEqualTo("HP ProLiant DL388p Gen8, BIOS P70 07/15/2012");
    assertThat(functions(s.frames())).hasSize(16).containsSubsequence("rt_spin_lock", "refill_obj_stock", "kmem_cache_free",
        "inactive_task_timer", "__run_hrtimer", "__hrtimer_run_queues", "hrtimer_interrupt",
        "asm_sysvec_apic_timer_interrupt");
    assertThat(s.frames()).allSatisfy(f -> {
      assertThat(f.section()).isEqualTo(Section.UNKNOWN);
      assertThat(f.sectionMarked()).isFalse();
    });
    // the user-space "RIP: 0033:" is a register line, not a kernel frame
    assertThat(s.frames()).noneMatch(f -> f.raw().startsWith("RIP"));
    assertThat(s.truncated()).isFalse();
  }

  @Test
  void invalidWaitContextOnArm64() throws IOException {
    Splat s = TestLogs.only(TestLogs.read("invalid-wait-context-arm64.log"));
    assertThat(s.kind()).isEqualTo(SplatKind.INVALID_WAIT_CONTEXT);
    assertThat(s.comm()).isEqualTo("swapper/0");
    assertThat(s.pid()).isZero();
    assertThat(s.acquiring().className()).isEqualTo("shost->host_lock");
    assertThat(s.acquiring().outerWait()).isEqualTo(3);
    assertThat(s.acquiring().innerWait()).isEqualTo(3);
    assertThat(s.acquiring().usage()).isEqualTo("....");
    assertThat(s.acquiring().instance()).isEqualTo("ffff000089f58048");
    assertThat(s.acquiring().atFunction()).isEqualTo("ufshcd_sl_intr");
    assertThat(s.facts()).containsEntry("context", "{2:2}");
    assertThat(s.heldLocksDeclared()).isZero();
    assertThat(s.heldLocks()).isEmpty();
    assertThat(s.frames()).hasSize(26);
    assertThat(s.frames().get(0).function()).isEqualTo("show_stack");
    assertThat(s.frames().get(0).raw()).endsWith("(C)");
    assertThat(frame(s, "el1h_64_irq").offset()).isEqualTo(0x6c);
    assertThat(s.kernelRelease()).isEqualTo("7.0.0-rc4-next-20260316");
    assertThat(s.taint()).isEmpty();
  }

  @Test
  void schedulingWhileAtomicDecodesItsCount() throws IOException {
    Splat s = TestLogs.only(TestLogs.read("schedule-while-atomic-rt.log"));
    assertThat(s.kind()).isEqualTo(SplatKind.SCHEDULE_WHILE_ATOMIC);
    assertThat(s.comm()).isEqualTo("irq/4-ttyS0");
    assertThat(s.pid()).isEqualTo(751);
    assertThat(s.preemptCount()).isEqualTo(0x10002);
    assertThat(s.decodedPreemptCount().hardirq()).isEqualTo(1);
    assertThat(s.decodedPreemptCount().preempt()).isEqualTo(2);
    assertThat(s.preemptionDisabledAt()).isEqualTo("irq_enter_rcu");
    assertThat(s.otherStacks()).extracting(LabeledStack::label).containsExactly("Preemption disabled at");
    // the poster cut the report after </IRQ>
    assertThat(s.truncated()).isTrue();
    assertThat(s.problems()).containsExactly("schedule-while-atomic-rt.log:33: the input ends inside a call trace");
  }

  @Test
  void recursiveLockingWithPriorityPrefixesAndContinuationLines() throws IOException {
    SplatText.Result r = TestLogs.read("recursive-locking-syslog-prio.log");
    Splat s = TestLogs.only(r);
    assertThat(r.info().format()).isEqualTo(LogFormat.SYSLOG);
    assertThat(s.kind()).isEqualTo(SplatKind.RECURSIVE_LOCKING);
    assertThat(s.firstLine()).isEqualTo(5); // the "=====" banner
    assertThat(s.acquiring().className()).isEqualTo("pci_bus_sem");
    assertThat(s.holding().className()).isEqualTo("pci_bus_sem");
    assertThat(s.holding().atFunction()).isEqualTo("pci_walk_bus");
    assertThat(s.heldLocks()).extracting(LockLine::index).containsExactly(0, 1);
    assertThat(s.heldLocks().get(0).className()).isEqualTo("&dev->mutex");
    assertThat(s.heldLocks().get(0).outerWait()).isEqualTo(3);
    assertThat(s.frames()).allMatch(f -> f.section() == Section.TASK);
  }

  @Test
  void oldInconsistentLockState() throws IOException {
    Splat s = TestLogs.only(TestLogs.read("inconsistent-lock-state-2.6.17.log"));
    assertThat(s.kind()).isEqualTo(SplatKind.INCONSISTENT_LOCK_STATE);
    assertThat(s.header()).isEqualTo("[ INFO: inconsistent lock state ]");
    assertThat(s.usageTransition()).isEqualTo("{in-hardirq-W} -> {hardirq-on-W}");
    assertThat(s.comm()).isEqualTo("nscd");
    assertThat(s.pid()).isEqualTo(4929);
    assertThat(s.facts()).containsEntry("irq context", "HC0[0]:SC0[1]:HE1:SE0");
    assertThat(s.lock().className()).isEqualTo("&skb_queue_lock_key");
    assertThat(s.lock().usage()).isEqualTo("++..");
    assertThat(s.lock().outerWait()).isEqualTo(-1); // 2.6 kernels print no wait types
    assertThat(s.lock().instance()).isNull();
    assertThat(s.heldLocksDeclared()).isZero();
    assertThat(s.otherStacks().get(0).label()).isEqualTo("{in-hardirq-W} state was registered at");
    assertThat(s.otherStacks().get(0).frames()).hasSize(13);
    assertThat(s.frames().get(s.frames().size() - 1).function()).isEqualTo("0x00002b2d76ab98a9");
    assertThat(s.irqEventStamps()).containsEntry("softirqs last disabled at",
        "(4280): [<ffffffff804764d1>] _spin_lock_bh+0x11/0x50");
    assertThat(s.truncated()).isFalse(); // ends at system_call: a complete trace
  }

  @Test
  void irqSafeToUnsafeFromSyzbot() throws IOException {
    Splat s = TestLogs.only(TestLogs.read("irq-safe-to-unsafe-syzbot.log"));
    assertThat(s.kind()).isEqualTo(SplatKind.IRQ_SAFE_TO_UNSAFE);
    assertThat(s.acquiring().className()).isEqualTo("tasklist_lock");
    assertThat(s.holding().className()).isEqualTo("&f->f_owner.lock");
    assertThat(s.safeLock().className()).isEqualTo("&group->lock");
    assertThat(s.safeLock().usage()).isEqualTo("..-.");
    assertThat(s.unsafeLock().className()).isEqualTo("tasklist_lock");
    assertThat(s.facts()).containsEntry("chain exists of", "&group->lock --> &f->f_owner.lock --> tasklist_lock");
    // syzbot repeats a held lock per inlined caller: one entry per #N, the real function last
    assertThat(s.heldLocks()).hasSize(5);
    assertThat(s.heldLocks().get(1).atFunction()).isEqualTo("path_openat");
    assertThat(s.heldLocks().get(1).baseName()).isEqualTo("&type->i_mutex_dir_key");
    assertThat(s.heldLocks().get(1).version()).isEqualTo(4);
    Frame inlined = s.frames().get(0);
    assertThat(inlined.function()).isEqualTo("__dump_stack");
    assertThat(inlined.inlined()).isTrue();
    assertThat(inlined.location()).isEqualTo("lib/dump_stack.c:88");
    assertThat(s.otherStacks()).extracting(LabeledStack::label).contains("... which became SOFTIRQ-irq-safe at",
        "&group->lock: IN-SOFTIRQ-W at", "tasklist_lock: ... acquired at");
    assertThat(s.frames()).allMatch(f -> f.section() == Section.TASK);
  }

  @Test
  void irqLockInversionOn32BitArm() throws IOException {
    Splat s = TestLogs.only(TestLogs.read("irq-lock-inversion-arm32.log"));
    assertThat(s.kind()).isEqualTo(SplatKind.IRQ_LOCK_INVERSION);
    assertThat(s.lock().className()).isEqualTo("_xmit_ETHER#2");
    assertThat(s.lock().baseName()).isEqualTo("_xmit_ETHER");
    assertThat(s.lock().instance()).isEqualTo("c2609f50");
    // "this lock took another, SOFTIRQ-unsafe lock": this one is the irq-safe one
    assertThat(s.safeLock()).isEqualTo(s.lock());
    assertThat(s.unsafeLock().className()).isEqualTo("&lan966x->ptp_ts_id_lock");
    assertThat(s.heldLocks().get(0).className()).isEqualTo("(&ndev->rs_timer)");
    assertThat(s.heldLocks().get(1).outerWait()).isEqualTo(1);
    assertThat(s.heldLocks().get(1).innerWait()).isEqualTo(2);
    assertThat(s.heldLocks().get(4).className()).isEqualTo("dev->qdisc_tx_busylock ?: &qdisc_tx_busylock");
    // ARM's "callee from caller+off/size": one frame per function, the offset from the line before
    assertThat(s.frames().get(0).function()).isEqualTo("unwind_backtrace");
    assertThat(s.frames().get(0).offset()).isEqualTo(-1);
    assertThat(s.frames().get(1).function()).isEqualTo("show_stack");
    assertThat(s.frames().get(1).offset()).isEqualTo(0x10);
    assertThat(s.frames().get(1).size()).isEqualTo(0x14);
    assertThat(functions(s.frames()).stream().filter("__irq_svc"::equals)).hasSize(1);
    assertThat(frame(s, "__irq_svc").offset()).isEqualTo(0x90);
    assertThat(s.frames().get(s.frames().size() - 1).function()).isEqualTo("arch_post_acpi_subsys_init");
    assertThat(s.taint()).isEqualTo("G N");
  }

  @Test
  void badUnlockBalanceThenANewStyleWarning() throws IOException {
    SplatText.Result r = TestLogs.read("bad-unlock-balance-then-warning.log");
    assertThat(r.splats()).hasSize(2);
    Splat bad = r.splats().get(0);
    assertThat(bad.kind()).isEqualTo(SplatKind.BAD_UNLOCK_BALANCE);
    assertThat(bad.lock().className()).isEqualTo("&mapping->i_mmap_rwsem");
    assertThat(bad.otherStacks().get(0).label()).isEqualTo("release at");
    assertThat(functions(bad.otherStacks().get(0).frames())).containsExactly("i_mmap_unlock_write", "maybe_drop_rmap_locks",
        "move_pgt_entry");
    assertThat(bad.heldLocks()).singleElement().satisfies(l -> assertThat(l.atFunction()).isEqualTo("__se_sys_mremap"));
    Splat warn = r.splats().get(1);
    assertThat(warn.kind()).isEqualTo(SplatKind.WARNING);
    assertThat(warn.firstLine()).isEqualTo(bad.lastLine() + 1); // its "cut here" line
    assertThat(warn.location()).isEqualTo("kernel/locking/rwsem.c:1368");
    assertThat(warn.cpu()).isEqualTo(1);
    assertThat(warn.pid()).isEqualTo(6969);
    assertThat(warn.comm()).isEqualTo("syz-executor359");
    assertThat(warn.facts().get("message")).startsWith("DEBUG_RWSEMS_WARN_ON(");
    // the two RIP lines (inlined caller first) lead the frames, before <TASK>
    assertThat(warn.frames().get(0).function()).isEqualTo("__up_write");
    assertThat(warn.frames().get(1).function()).isEqualTo("up_write");
    assertThat(warn.frames().get(1).section()).isEqualTo(Section.UNKNOWN);
    assertThat(warn.frames().get(2).section()).isEqualTo(Section.TASK);
  }

  @Test
  void suspiciousRcuUsageInAConsoleWithShellNoise() throws IOException {
    SplatText.Result r = TestLogs.read("suspicious-rcu-usage-console.log");
    Splat s = TestLogs.only(r);
    assertThat(s.kind()).isEqualTo(SplatKind.SUSPICIOUS_RCU_USAGE);
    assertThat(s.location()).isEqualTo("include/linux/rcupdate.h:594");
    assertThat(s.facts()).containsEntry("message", "rcu_read_lock() used illegally while idle!");
    assertThat(s.heldLocks()).singleElement().satisfies(l -> {
      assertThat(l.instance()).isEqualTo("(____ptrval____)");
      assertThat(l.className()).isEqualTo("rcu_read_lock");
      assertThat(l.outerWait()).isEqualTo(-1);
    });
    assertThat(s.frames()).hasSize(13);
    assertThat(r.stats().logLines()).isGreaterThanOrEqualTo(3); // the shell prompts
  }

  @Test
  void smpProcessorIdInPreemptibleCode() throws IOException {
    Splat s = TestLogs.only(TestLogs.read("smp-processor-id-preemptible-cut.log"));
    assertThat(s.kind()).isEqualTo(SplatKind.SMP_PROCESSOR_ID_PREEMPTIBLE);
    assertThat(s.preemptCount()).isZero();
    assertThat(s.inAtomic()).isFalse();
    assertThat(s.comm()).isEqualTo("swapper/0");
    assertThat(s.pid()).isEqualTo(1);
    assertThat(s.cpu()).isEqualTo(3);
    assertThat(s.facts()).containsEntry("caller", "debug_smp_processor_id+0x13/0x20");
    assertThat(s.truncated()).isTrue();
  }

  @Test
  void spinlockLockupWithDecodedFramesAndTheOwnersNmiBacktrace() throws IOException {
    Splat s = TestLogs.only(TestLogs.read("spinlock-lockup-decoded.log"));
    assertThat(s.kind()).isEqualTo(SplatKind.SPINLOCK_BUG);
    assertThat(s.cpu()).isEqualTo(19);
    assertThat(s.comm()).isEqualTo("trinity-c19");
    assertThat(s.pid()).isEqualTo(17092);
    assertThat(s.facts()).containsEntry(".owner", "trinity-main/1289").containsEntry(".owner_cpu", "0");
    Frame first = s.frames().get(0);
    assertThat(first.function()).isEqualTo("dump_stack");
    assertThat(first.offset()).isEqualTo(-1);
    assertThat(first.location()).isEqualTo("lib/dump_stack.c:52");
    LabeledStack nmi = s.otherStacks().get(0);
    assertThat(nmi.label()).isEqualTo("NMI backtrace for cpu 0");
    assertThat(nmi.frames().get(0).function()).isEqualTo("delay_tsc"); // its RIP
    assertThat(nmi.frames().get(1).section()).isEqualTo(Section.IRQ);
    assertThat(nmi.frames().stream().filter(f -> f.function().equals("copy_process")).findFirst().orElseThrow().section())
        .isEqualTo(Section.TASK); // below <EOI>
    assertThat(s.truncated()).isFalse();
  }

  @Test
  void taggedLogWithThreeKindsOfReport() throws IOException {
    SplatText.Result r = TestLogs.read("lkp-recursive-hung-workqueue-tagged.log");
    assertThat(r.splats()).extracting(Splat::kind).containsExactly(SplatKind.RECURSIVE_LOCKING, SplatKind.HUNG_TASK,
        SplatKind.WORKQUEUE_LOCKUP, SplatKind.WORKQUEUE_LOCKUP);
    assertThat(r.splats()).extracting(Splat::callerTag).containsExactly("T1", "T23", "C0", "C0");
    Splat hung = r.splats().get(1);
    assertThat(hung.comm()).isEqualTo("swapper/0");
    assertThat(hung.pid()).isEqualTo(1);
    assertThat(hung.kernelRelease()).isEqualTo("6.17.0-rc2-00290-g432c7653afa4");
    assertThat(hung.facts().get("task")).startsWith("swapper/0       state:D");
    assertThat(hung.otherStacks().get(0).label()).startsWith("INFO: task swapper/0:1 is blocked on a mutex");
    assertThat(r.splats().get(2).frames()).isEmpty();
    assertThat(r.splats().get(2).truncated()).isFalse(); // workqueue lockups need no call trace
  }

  @Test
  void softLockupInSyslog() throws IOException {
    SplatText.Result r = TestLogs.read("soft-lockup-syslog.log");
    Splat s = TestLogs.only(r);
    assertThat(s.kind()).isEqualTo(SplatKind.SOFT_LOCKUP);
    assertThat(s.cpu()).isEqualTo(1);
    assertThat(s.comm()).isEqualTo("ksoftirqd/1");
    assertThat(s.pid()).isEqualTo(23);
    assertThat(s.wallTime()).isEqualTo("Nov  8 19:38:07");
    assertThat(s.timestamp()).isEqualTo(424.479443);
    assertThat(s.frames().get(0).function()).isEqualTo("ieee80211_select_queue");
    assertThat(s.frames().get(0).module()).isEqualTo("mac80211");
    assertThat(r.info().format()).isEqualTo(LogFormat.SYSLOG);
    assertThat(r.stats().logLines()).isEqualTo(4 + 7); // the source's four comment lines, normal lines before and after
  }

  @Test
  void rcuStallSections() throws IOException {
    Splat s = TestLogs.only(TestLogs.read("rcu-stall-syzbot.log"));
    assertThat(s.kind()).isEqualTo(SplatKind.RCU_STALL);
    assertThat(s.cpu()).isEqualTo(1);
    assertThat(frame(s, "hrtimer_interrupt").section()).isEqualTo(Section.IRQ);
    assertThat(frame(s, "native_queued_spin_lock_slowpath").raw()).startsWith("RIP: 0010:");
    assertThat(frame(s, "tcp_close").section()).isEqualTo(Section.TASK); // after </IRQ>
    assertThat(s.truncated()).isFalse();
  }

  @Test
  void hungTasksBackToBackInSyslog() throws IOException {
    SplatText.Result r = TestLogs.read("hung-task-syslog-2.6.38.log");
    assertThat(r.splats()).extracting(Splat::kind).containsOnly(SplatKind.HUNG_TASK);
    assertThat(r.splats()).extracting(Splat::comm).containsExactly("jbd2/sda2-8", "flush-8:0", "rs:main Q:Reg");
    assertThat(r.splats()).extracting(Splat::pid).containsExactly(349, 367, 3729);
    assertThat(r.splats()).noneMatch(Splat::truncated);
  }

  @Test
  void oldWarningsWithIrqAndEoiMarkers() throws IOException {
    SplatText.Result r = TestLogs.read("warning-3.10-irq-eoi.log");
    assertThat(r.splats()).hasSize(3).allMatch(s -> s.kind() == SplatKind.WARNING);
    Splat s = r.splats().get(0);
    assertThat(s.location()).isEqualTo("arch/x86/kernel/irq.c:182");
    assertThat(s.facts()).containsEntry("message", "Thread not rescheduled for 36 jiffies");
    assertThat(s.firstLine()).isEqualTo(7); // "cut here", after the six lines naming the source
    assertThat(s.frames().subList(0, 6)).allMatch(f -> f.section() == Section.IRQ);
    assertThat(s.frames().get(6).function()).isEqualTo("set_pageblock_migratetype");
    assertThat(s.frames().get(6).section()).isEqualTo(Section.TASK); // after <EOI>
    assertThat(s.frames().get(6).unreliable()).isTrue();
    assertThat(frame(s, "vfio_pci_mmap").module()).isEqualTo("vfio_pci");
    assertThat(r.splats().get(1).taint()).isEqualTo("G W O");
    assertThat(r.splats()).noneMatch(Splat::truncated);
  }

  @Test
  void kernelBugWithItsOopsLine() throws IOException {
    Splat s = TestLogs.only(TestLogs.read("kernel-bug-rhel8-abridged.log"));
    assertThat(s.kind()).isEqualTo(SplatKind.BUG);
    assertThat(s.location()).isEqualTo("mm/slub.c:294");
    assertThat(s.facts()).containsEntry("oops", "invalid opcode: 0000 [#1] SMP PTI");
    assertThat(s.taint()).isEqualTo("G IOE");
    assertThat(s.kernelRelease()).isEqualTo("4.18.0-240.el8.x86_64");
    assertThat(s.frames().get(0).function()).isEqualTo("__slab_free");
    assertThat(s.frames().get(s.frames().size() - 1).module()).isEqualTo("qla2xxx");
    assertThat(s.truncated()).isTrue();
  }

  @Test
  void nullPointerOopsWithWallClockPrefixes() throws IOException {
    SplatText.Result r = TestLogs.read("oops-dmesg-T.log");
    Splat s = TestLogs.only(r);
    assertThat(r.info().format()).isEqualTo(LogFormat.DMESG_WALL_CLOCK);
    assertThat(s.kind()).isEqualTo(SplatKind.OOPS);
    assertThat(s.wallTime()).isEqualTo("Thu Nov  6 22:36:44 2025");
    assertThat(s.timestamp()).isEqualTo(-1);
    assertThat(s.comm()).isEqualTo("iio-sensor-prox");
    assertThat(s.facts()).containsEntry("oops", "Oops: Oops: 0000 [#1] SMP NOPTI").containsEntry("Tainted", "[W]=WARN");
    assertThat(s.frames().get(0).function()).isEqualTo("bmc150_accel_set_interrupt");
    // the report ends at "---[ end trace ]---"; x86 repeats the registers after it
    assertThat(s.lastLine()).isEqualTo(59);
    assertThat(r.stats().logLines()).isEqualTo(6 + 10);
  }

  @Test
  void circularDependencyChain() throws IOException {
    Splat s = TestLogs.only(TestLogs.read("circular-dependency-4.1.log"));
    assertThat(s.kind()).isEqualTo(SplatKind.CIRCULAR_DEPENDENCY);
    assertThat(s.acquiring().className()).isEqualTo("s_active#22");
    assertThat(s.holding().className()).isEqualTo("cpu_hotplug.lock#2");
    assertThat(s.chain()).extracting(ChainLink::n).containsExactly(4, 3, 2, 1, 0);
    assertThat(s.chain().get(1).lock().className()).isEqualTo("(oom_notify_list).rwsem");
    assertThat(s.chain().get(4).frames()).hasSize(26);
    assertThat(s.heldLocks()).hasSize(9);
    assertThat(s.heldLocksDeclared()).isEqualTo(9);
    assertThat(s.frames().get(1).function()).isEqualTo("print_circular_bug");
  }

  @Test
  void journalOutputAndADamagedCopy() throws IOException {
    SplatText.Result r = TestLogs.read("journal-unix-sleep-and-wait-context.log");
    assertThat(r.info().format()).isEqualTo(LogFormat.JOURNAL);
    assertThat(r.splats()).extracting(Splat::kind).containsExactly(SplatKind.SLEEP_IN_ATOMIC,
        SplatKind.INVALID_WAIT_CONTEXT);
    Splat sleep = r.splats().get(0);
    assertThat(sleep.preemptCount()).isEqualTo(1);
    assertThat(sleep.decodedPreemptCount().inTask()).isTrue();
    assertThat(sleep.irqsDisabled()).isTrue();
    assertThat(sleep.heldLocks()).singleElement().satisfies(l -> assertThat(l.innerWait()).isEqualTo(2));
    assertThat(sleep.corrupted()).isTrue(); // the poster pasted a block of frames twice
    assertThat(sleep.problems()).singleElement().asString().startsWith(
        "journal-unix-sleep-and-wait-context.log:40: timestamps go backwards inside the report");
    Splat wait = r.splats().get(1);
    assertThat(wait.facts()).containsEntry("context", "{4:4}");
    assertThat(wait.acquiring().innerWait()).isEqualTo(3);
    assertThat(wait.corrupted()).isFalse();
  }

  @Test
  void aLogOfNormalBootMessagesHasNoReport() throws IOException {
    SplatText.Result r = TestLogs.read("boot-normal-2.6.32.log");
    assertThat(r.splats()).isEmpty();
    assertThat(r.stats().logLines()).isEqualTo(r.stats().lines());
    assertThat(r.info().kernelRelease()).isEqualTo("2.6.32-22-generic");
  }

  @Test
  void callerTagsUntangleInterleavedReports() throws IOException {
    SplatText.Result mixed = TestLogs.read("interleaved-tagged.log");
    assertThat(mixed.splats()).extracting(Splat::kind).containsExactly(SplatKind.SLEEP_IN_ATOMIC,
        SplatKind.RECURSIVE_LOCKING);
    Splat alone = TestLogs.only(TestLogs.read("sleep-in-atomic-rt-tagged.log"));
    Splat untangled = mixed.splats().get(0);
    assertThat(functions(untangled.frames())).isEqualTo(functions(alone.frames()));
    assertThat(untangled.frames()).extracting(Frame::section)
        .isEqualTo(alone.frames().stream().map(Frame::section).collect(Collectors.toList()));
    assertThat(untangled.preemptCount()).isEqualTo(alone.preemptCount());
    assertThat(mixed.splats().get(1).heldLocks()).hasSize(6);
    assertThat(mixed.splats()).noneMatch(s -> s.truncated() || s.corrupted());
  }

  @Test
  void withoutCallerTagsInterleavingIsVisibleAsDamage() throws IOException {
    SplatText.Result r = TestLogs.read("interleaved-untagged.log");
    assertThat(r.splats().get(0).truncated()).isTrue(); // cut short by the other CPU's header
    assertThat(r.splats().get(1).corrupted()).isTrue(); // its timestamps go back and forth
  }

  @Test
  void serialConsoleAndKmsgGiveTheSameReports() throws IOException {
    SplatText.Result console = TestLogs.read("serial-console-arm64.log");
    SplatText.Result plain = TestLogs.read("invalid-wait-context-arm64.log");
    assertThat(console.info().format()).isEqualTo(LogFormat.SERIAL_CONSOLE);
    Splat c = TestLogs.only(console);
    Splat p = TestLogs.only(plain);
    assertThat(functions(c.frames())).isEqualTo(functions(p.frames()));
    assertThat(c.acquiring()).isEqualTo(p.acquiring());
    SplatText.Result kmsg = TestLogs.read("kmsg-schedule-while-atomic.log");
    assertThat(kmsg.info().format()).isEqualTo(LogFormat.KMSG);
    Splat k = TestLogs.only(kmsg);
    Splat d = TestLogs.only(TestLogs.read("schedule-while-atomic-rt.log"));
    assertThat(k.timestamp()).isEqualTo(d.timestamp());
    assertThat(functions(k.frames())).isEqualTo(functions(d.frames()));
    assertThat(k.preemptCount()).isEqualTo(d.preemptCount());
  }

  @Test
  void truncatedAndCorruptedReportsKeepWhatIsThere() throws IOException {
    Splat cut = TestLogs.only(TestLogs.read("truncated-mid-line.log"));
    assertThat(cut.truncated()).isTrue();
    assertThat(cut.problems()).containsExactly("truncated-mid-line.log:108: the input ends in the middle of the report's last line");
    assertThat(cut.otherStacks().get(0).frames()).isNotEmpty();
    Splat lockdep = TestLogs.only(TestLogs.read("truncated-lockdep.log"));
    assertThat(lockdep.truncated()).isTrue();
    assertThat(lockdep.chain()).extracting(ChainLink::n).containsExactly(4, 3, 2);
    assertThat(lockdep.frames()).isEmpty();
    SplatText.Result damaged = TestLogs.read("corrupted-recursive.log");
    Splat bad = TestLogs.only(damaged);
    assertThat(bad.corrupted()).isTrue();
    assertThat(bad.acquiring()).isNull(); // its lock line is unreadable
    assertThat(bad.holding().className()).isEqualTo("pci_bus_sem");
    assertThat(bad.problems()).extracting(p -> p.substring(0, p.indexOf(": ", p.indexOf(": ") + 2)))
        .containsExactly("corrupted-recursive.log:9: malformed lock usage", "corrupted-recursive.log:33: malformed frame offset",
            "corrupted-recursive.log:42: unprintable bytes in the report");
    assertThat(damaged.stats().skipped()).containsEntry("malformed lock usage", 1L).containsEntry("malformed frame offset", 1L);
  }
}
