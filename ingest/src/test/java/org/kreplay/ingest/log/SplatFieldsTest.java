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
    return s.stacks().frames().stream().filter(f -> f.function().equals(function)).findFirst()
        .orElseThrow(() -> new AssertionError("no frame " + function + " in " + functions(s.stacks().frames())));
  }

  @Test
  void sleepInAtomicOnPreemptRtFromAnIpi() throws IOException {
    SplatText.Result r = TestLogs.read("sleep-in-atomic-rt-tagged.log");
    Splat s = TestLogs.only(r);
    assertThat(s.kind()).isEqualTo(SplatKind.SLEEP_IN_ATOMIC);
    assertThat(s.header()).isEqualTo("BUG: sleeping function called from invalid context at kernel/locking/spinlock_rt.c:48");
    assertThat(s.location()).isEqualTo("kernel/locking/spinlock_rt.c:48");
    assertThat(s.task().callerTag()).isEqualTo("C1");
    assertThat(s.where().timestamp()).isEqualTo(163.910989);
    assertThat(s.task().cpu()).isEqualTo(1);
    assertThat(s.task().pid()).isEqualTo(0);
    assertThat(s.task().comm()).isEqualTo("swapper/1");
    assertThat(s.kernel().release()).isEqualTo("6.8.0-rc4-rt4-yocto-preempt-rt+");
    assertThat(s.kernel().taint()).isEqualTo("G W");
    assertThat(s.atomic().inAtomic()).isTrue();
    assertThat(s.atomic().irqsDisabled()).isTrue();
    assertThat(s.atomic().preemptCount()).isEqualTo(0x10001);
    assertThat(s.atomic().expectedPreemptCount()).isEqualTo(0);
    PreemptCount pc = s.atomic().decodedPreemptCount();
    assertThat(pc.hardirq()).isEqualTo(1);
    assertThat(pc.preempt()).isEqualTo(1);
    assertThat(pc.inHardirq()).isTrue();
    assertThat(pc.inTask()).isFalse();
    assertThat(s.atomic().rcuNestDepth()).isZero();
    assertThat(s.atomic().preemptionDisabledAt()).isEqualTo("stack_depot_save_flags");
    assertThat(s.lockdep().irqEventStamps()).containsEntry("irq event stamp", "30964");
    assertThat(frame(s, "rt_spin_lock").section()).isEqualTo(Section.IRQ);
    assertThat(frame(s, "rt_spin_lock").sectionMarked()).isTrue();
    assertThat(frame(s, "asm_sysvec_call_function_single").section()).isEqualTo(Section.TASK);
    Frame rip = frame(s, "default_idle");
    assertThat(rip.raw()).startsWith("RIP: 0010:");
    assertThat(rip.section()).isEqualTo(Section.TASK);
    assertThat(s.stacks().frames().get(0).function()).isEqualTo("dump_stack_lvl");
    assertThat(s.stacks().frames().get(0).offset()).isEqualTo(0x88);
    assertThat(s.stacks().frames().get(0).size()).isEqualTo(0xd0);
    assertThat(frame(s, "_raw_spin_unlock_irqrestore").unreliable()).isTrue();
    assertThat(s.damage().truncated()).isFalse();
    assertThat(s.damage().corrupted()).isFalse();
    assertThat(r.info().callerTags()).isTrue();
    assertThat(r.info().format()).isEqualTo(LogFormat.DMESG);
  }

  @Test
  void theSeedsHeaderlessSplatIsAStackDumpWithoutSections() throws IOException {
    Splat s = TestLogs.only(TestLogs.read("seed-put-task-struct.txt"));
    assertThat(s.kind()).isEqualTo(SplatKind.STACK_DUMP);
    assertThat(s.task().cpu()).isEqualTo(1);
    assertThat(s.task().pid()).isEqualTo(2848);
    assertThat(s.task().comm()).isEqualTo("life");
    assertThat(s.kernel().taint()).isEqualTo("G W");
    assertThat(s.kernel().hardware()).isEqualTo("HP ProLiant DL388p Gen8, BIOS P70 07/15/2012");
    assertThat(functions(s.stacks().frames())).hasSize(16).containsSubsequence("rt_spin_lock", "refill_obj_stock", "kmem_cache_free",
        "inactive_task_timer", "__run_hrtimer", "__hrtimer_run_queues", "hrtimer_interrupt",
        "asm_sysvec_apic_timer_interrupt");
    assertThat(s.stacks().frames()).allSatisfy(f -> {
      assertThat(f.section()).isEqualTo(Section.UNKNOWN);
      assertThat(f.sectionMarked()).isFalse();
    });
    // the user-space "RIP: 0033:" is a register line, not a kernel frame
    assertThat(s.stacks().frames()).noneMatch(f -> f.raw().startsWith("RIP"));
    assertThat(s.damage().truncated()).isFalse();
  }

  @Test
  void invalidWaitContextOnArm64() throws IOException {
    Splat s = TestLogs.only(TestLogs.read("invalid-wait-context-arm64.log"));
    assertThat(s.kind()).isEqualTo(SplatKind.INVALID_WAIT_CONTEXT);
    assertThat(s.task().comm()).isEqualTo("swapper/0");
    assertThat(s.task().pid()).isZero();
    assertThat(s.lockdep().acquiring().className()).isEqualTo("shost->host_lock");
    assertThat(s.lockdep().acquiring().outerWait()).isEqualTo(3);
    assertThat(s.lockdep().acquiring().innerWait()).isEqualTo(3);
    assertThat(s.lockdep().acquiring().usage()).isEqualTo("....");
    assertThat(s.lockdep().acquiring().instance()).isEqualTo("ffff000089f58048");
    assertThat(s.lockdep().acquiring().atFunction()).isEqualTo("ufshcd_sl_intr");
    assertThat(s.facts()).containsEntry("context", "{2:2}");
    assertThat(s.lockdep().heldLocksDeclared()).isZero();
    assertThat(s.lockdep().heldLocks()).isEmpty();
    assertThat(s.stacks().frames()).hasSize(26);
    assertThat(s.stacks().frames().get(0).function()).isEqualTo("show_stack");
    assertThat(s.stacks().frames().get(0).raw()).endsWith("(C)");
    assertThat(frame(s, "el1h_64_irq").offset()).isEqualTo(0x6c);
    assertThat(s.kernel().release()).isEqualTo("7.0.0-rc4-next-20260316");
    assertThat(s.kernel().taint()).isEmpty();
  }

  @Test
  void schedulingWhileAtomicDecodesItsCount() throws IOException {
    Splat s = TestLogs.only(TestLogs.read("schedule-while-atomic-rt.log"));
    assertThat(s.kind()).isEqualTo(SplatKind.SCHEDULE_WHILE_ATOMIC);
    assertThat(s.task().comm()).isEqualTo("irq/4-ttyS0");
    assertThat(s.task().pid()).isEqualTo(751);
    assertThat(s.atomic().preemptCount()).isEqualTo(0x10002);
    assertThat(s.atomic().decodedPreemptCount().hardirq()).isEqualTo(1);
    assertThat(s.atomic().decodedPreemptCount().preempt()).isEqualTo(2);
    assertThat(s.atomic().preemptionDisabledAt()).isEqualTo("irq_enter_rcu");
    assertThat(s.stacks().others()).extracting(LabeledStack::label).containsExactly("Preemption disabled at");
    // the poster cut the report after </IRQ>
    assertThat(s.damage().truncated()).isTrue();
    assertThat(s.damage().problems()).containsExactly("schedule-while-atomic-rt.log:33: the input ends inside a call trace");
  }

  @Test
  void recursiveLockingWithPriorityPrefixesAndContinuationLines() throws IOException {
    SplatText.Result r = TestLogs.read("recursive-locking-syslog-prio.log");
    Splat s = TestLogs.only(r);
    assertThat(r.info().format()).isEqualTo(LogFormat.SYSLOG);
    assertThat(s.kind()).isEqualTo(SplatKind.RECURSIVE_LOCKING);
    assertThat(s.where().firstLine()).isEqualTo(5); // the "=====" banner
    assertThat(s.lockdep().acquiring().className()).isEqualTo("pci_bus_sem");
    assertThat(s.lockdep().holding().className()).isEqualTo("pci_bus_sem");
    assertThat(s.lockdep().holding().atFunction()).isEqualTo("pci_walk_bus");
    assertThat(s.lockdep().heldLocks()).extracting(LockLine::index).containsExactly(0, 1);
    assertThat(s.lockdep().heldLocks().get(0).className()).isEqualTo("&dev->mutex");
    assertThat(s.lockdep().heldLocks().get(0).outerWait()).isEqualTo(3);
    assertThat(s.stacks().frames()).allMatch(f -> f.section() == Section.TASK);
  }

  @Test
  void oldInconsistentLockState() throws IOException {
    Splat s = TestLogs.only(TestLogs.read("inconsistent-lock-state-2.6.17.log"));
    assertThat(s.kind()).isEqualTo(SplatKind.INCONSISTENT_LOCK_STATE);
    assertThat(s.header()).isEqualTo("[ INFO: inconsistent lock state ]");
    assertThat(s.lockdep().usageTransition()).isEqualTo("{in-hardirq-W} -> {hardirq-on-W}");
    assertThat(s.task().comm()).isEqualTo("nscd");
    assertThat(s.task().pid()).isEqualTo(4929);
    assertThat(s.facts()).containsEntry("irq context", "HC0[0]:SC0[1]:HE1:SE0");
    assertThat(s.lockdep().lock().className()).isEqualTo("&skb_queue_lock_key");
    assertThat(s.lockdep().lock().usage()).isEqualTo("++..");
    assertThat(s.lockdep().lock().outerWait()).isEqualTo(-1); // 2.6 kernels print no wait types
    assertThat(s.lockdep().lock().instance()).isNull();
    assertThat(s.lockdep().heldLocksDeclared()).isZero();
    assertThat(s.stacks().others().get(0).label()).isEqualTo("{in-hardirq-W} state was registered at");
    assertThat(s.stacks().others().get(0).frames()).hasSize(13);
    assertThat(s.stacks().frames().get(s.stacks().frames().size() - 1).function()).isEqualTo("0x00002b2d76ab98a9");
    assertThat(s.lockdep().irqEventStamps()).containsEntry("softirqs last disabled at",
        "(4280): [<ffffffff804764d1>] _spin_lock_bh+0x11/0x50");
    assertThat(s.damage().truncated()).isFalse(); // ends at system_call: a complete trace
  }

  @Test
  void irqSafeToUnsafeFromSyzbot() throws IOException {
    Splat s = TestLogs.only(TestLogs.read("irq-safe-to-unsafe-syzbot.log"));
    assertThat(s.kind()).isEqualTo(SplatKind.IRQ_SAFE_TO_UNSAFE);
    assertThat(s.lockdep().acquiring().className()).isEqualTo("tasklist_lock");
    assertThat(s.lockdep().holding().className()).isEqualTo("&f->f_owner.lock");
    assertThat(s.lockdep().safeLock().className()).isEqualTo("&group->lock");
    assertThat(s.lockdep().safeLock().usage()).isEqualTo("..-.");
    assertThat(s.lockdep().unsafeLock().className()).isEqualTo("tasklist_lock");
    assertThat(s.facts()).containsEntry("chain exists of", "&group->lock --> &f->f_owner.lock --> tasklist_lock");
    // syzbot repeats a held lock per inlined caller: one entry per #N, the real function last
    assertThat(s.lockdep().heldLocks()).hasSize(5);
    assertThat(s.lockdep().heldLocks().get(1).atFunction()).isEqualTo("path_openat");
    assertThat(s.lockdep().heldLocks().get(1).baseName()).isEqualTo("&type->i_mutex_dir_key");
    assertThat(s.lockdep().heldLocks().get(1).version()).isEqualTo(4);
    Frame inlined = s.stacks().frames().get(0);
    assertThat(inlined.function()).isEqualTo("__dump_stack");
    assertThat(inlined.inlined()).isTrue();
    assertThat(inlined.location()).isEqualTo("lib/dump_stack.c:88");
    assertThat(s.stacks().others()).extracting(LabeledStack::label).contains("... which became SOFTIRQ-irq-safe at",
        "&group->lock: IN-SOFTIRQ-W at", "tasklist_lock: ... acquired at");
    assertThat(s.stacks().frames()).allMatch(f -> f.section() == Section.TASK);
  }

  @Test
  void irqLockInversionOn32BitArm() throws IOException {
    Splat s = TestLogs.only(TestLogs.read("irq-lock-inversion-arm32.log"));
    assertThat(s.kind()).isEqualTo(SplatKind.IRQ_LOCK_INVERSION);
    assertThat(s.lockdep().lock().className()).isEqualTo("_xmit_ETHER#2");
    assertThat(s.lockdep().lock().baseName()).isEqualTo("_xmit_ETHER");
    assertThat(s.lockdep().lock().instance()).isEqualTo("c2609f50");
    // "this lock took another, SOFTIRQ-unsafe lock": this one is the irq-safe one
    assertThat(s.lockdep().safeLock()).isEqualTo(s.lockdep().lock());
    assertThat(s.lockdep().unsafeLock().className()).isEqualTo("&lan966x->ptp_ts_id_lock");
    assertThat(s.lockdep().heldLocks().get(0).className()).isEqualTo("(&ndev->rs_timer)");
    assertThat(s.lockdep().heldLocks().get(1).outerWait()).isEqualTo(1);
    assertThat(s.lockdep().heldLocks().get(1).innerWait()).isEqualTo(2);
    assertThat(s.lockdep().heldLocks().get(4).className()).isEqualTo("dev->qdisc_tx_busylock ?: &qdisc_tx_busylock");
    // ARM's "callee from caller+off/size": one frame per function, the offset from the line before
    assertThat(s.stacks().frames().get(0).function()).isEqualTo("unwind_backtrace");
    assertThat(s.stacks().frames().get(0).offset()).isEqualTo(-1);
    assertThat(s.stacks().frames().get(1).function()).isEqualTo("show_stack");
    assertThat(s.stacks().frames().get(1).offset()).isEqualTo(0x10);
    assertThat(s.stacks().frames().get(1).size()).isEqualTo(0x14);
    assertThat(functions(s.stacks().frames()).stream().filter("__irq_svc"::equals)).hasSize(1);
    assertThat(frame(s, "__irq_svc").offset()).isEqualTo(0x90);
    assertThat(s.stacks().frames().get(s.stacks().frames().size() - 1).function()).isEqualTo("arch_post_acpi_subsys_init");
    assertThat(s.kernel().taint()).isEqualTo("G N");
  }

  @Test
  void badUnlockBalanceThenANewStyleWarning() throws IOException {
    SplatText.Result r = TestLogs.read("bad-unlock-balance-then-warning.log");
    assertThat(r.splats()).hasSize(2);
    Splat bad = r.splats().get(0);
    assertThat(bad.kind()).isEqualTo(SplatKind.BAD_UNLOCK_BALANCE);
    assertThat(bad.lockdep().lock().className()).isEqualTo("&mapping->i_mmap_rwsem");
    assertThat(bad.stacks().others().get(0).label()).isEqualTo("release at");
    assertThat(functions(bad.stacks().others().get(0).frames())).containsExactly("i_mmap_unlock_write", "maybe_drop_rmap_locks",
        "move_pgt_entry");
    assertThat(bad.lockdep().heldLocks()).singleElement().satisfies(l -> assertThat(l.atFunction()).isEqualTo("__se_sys_mremap"));
    Splat warn = r.splats().get(1);
    assertThat(warn.kind()).isEqualTo(SplatKind.WARNING);
    assertThat(warn.where().firstLine()).isEqualTo(bad.where().lastLine() + 1); // its "cut here" line
    assertThat(warn.location()).isEqualTo("kernel/locking/rwsem.c:1368");
    assertThat(warn.task().cpu()).isEqualTo(1);
    assertThat(warn.task().pid()).isEqualTo(6969);
    assertThat(warn.task().comm()).isEqualTo("syz-executor359");
    assertThat(warn.facts().get("message")).startsWith("DEBUG_RWSEMS_WARN_ON(");
    // the two RIP lines (inlined caller first) lead the frames, before <TASK>
    assertThat(warn.stacks().frames().get(0).function()).isEqualTo("__up_write");
    assertThat(warn.stacks().frames().get(1).function()).isEqualTo("up_write");
    assertThat(warn.stacks().frames().get(1).section()).isEqualTo(Section.UNKNOWN);
    assertThat(warn.stacks().frames().get(2).section()).isEqualTo(Section.TASK);
  }

  @Test
  void suspiciousRcuUsageInAConsoleWithShellNoise() throws IOException {
    SplatText.Result r = TestLogs.read("suspicious-rcu-usage-console.log");
    Splat s = TestLogs.only(r);
    assertThat(s.kind()).isEqualTo(SplatKind.SUSPICIOUS_RCU_USAGE);
    assertThat(s.location()).isEqualTo("include/linux/rcupdate.h:594");
    assertThat(s.facts()).containsEntry("message", "rcu_read_lock() used illegally while idle!");
    assertThat(s.lockdep().heldLocks()).singleElement().satisfies(l -> {
      assertThat(l.instance()).isEqualTo("(____ptrval____)");
      assertThat(l.className()).isEqualTo("rcu_read_lock");
      assertThat(l.outerWait()).isEqualTo(-1);
    });
    assertThat(s.stacks().frames()).hasSize(13);
    assertThat(r.stats().logLines()).isGreaterThanOrEqualTo(3); // the shell prompts
  }

  @Test
  void smpProcessorIdInPreemptibleCode() throws IOException {
    Splat s = TestLogs.only(TestLogs.read("smp-processor-id-preemptible-cut.log"));
    assertThat(s.kind()).isEqualTo(SplatKind.SMP_PROCESSOR_ID_PREEMPTIBLE);
    assertThat(s.atomic().preemptCount()).isZero();
    assertThat(s.atomic().inAtomic()).isFalse();
    assertThat(s.task().comm()).isEqualTo("swapper/0");
    assertThat(s.task().pid()).isEqualTo(1);
    assertThat(s.task().cpu()).isEqualTo(3);
    assertThat(s.facts()).containsEntry("caller", "debug_smp_processor_id+0x13/0x20");
    assertThat(s.damage().truncated()).isTrue();
  }

  @Test
  void spinlockLockupWithDecodedFramesAndTheOwnersNmiBacktrace() throws IOException {
    Splat s = TestLogs.only(TestLogs.read("spinlock-lockup-decoded.log"));
    assertThat(s.kind()).isEqualTo(SplatKind.SPINLOCK_BUG);
    assertThat(s.task().cpu()).isEqualTo(19);
    assertThat(s.task().comm()).isEqualTo("trinity-c19");
    assertThat(s.task().pid()).isEqualTo(17092);
    assertThat(s.facts()).containsEntry(".owner", "trinity-main/1289").containsEntry(".owner_cpu", "0");
    Frame first = s.stacks().frames().get(0);
    assertThat(first.function()).isEqualTo("dump_stack");
    assertThat(first.offset()).isEqualTo(-1);
    assertThat(first.location()).isEqualTo("lib/dump_stack.c:52");
    LabeledStack nmi = s.stacks().others().get(0);
    assertThat(nmi.label()).isEqualTo("NMI backtrace for cpu 0");
    assertThat(nmi.frames().get(0).function()).isEqualTo("delay_tsc"); // its RIP
    assertThat(nmi.frames().get(1).section()).isEqualTo(Section.IRQ);
    assertThat(nmi.frames().stream().filter(f -> f.function().equals("copy_process")).findFirst().orElseThrow().section())
        .isEqualTo(Section.TASK); // below <EOI>
    assertThat(s.damage().truncated()).isFalse();
  }

  @Test
  void taggedLogWithThreeKindsOfReport() throws IOException {
    SplatText.Result r = TestLogs.read("lkp-recursive-hung-workqueue-tagged.log");
    assertThat(r.splats()).extracting(Splat::kind).containsExactly(SplatKind.RECURSIVE_LOCKING, SplatKind.HUNG_TASK,
        SplatKind.WORKQUEUE_LOCKUP, SplatKind.WORKQUEUE_LOCKUP);
    assertThat(r.splats()).extracting(s -> s.task().callerTag()).containsExactly("T1", "T23", "C0", "C0");
    Splat hung = r.splats().get(1);
    assertThat(hung.task().comm()).isEqualTo("swapper/0");
    assertThat(hung.task().pid()).isEqualTo(1);
    assertThat(hung.kernel().release()).isEqualTo("6.17.0-rc2-00290-g432c7653afa4");
    assertThat(hung.facts().get("task")).startsWith("swapper/0       state:D");
    assertThat(hung.stacks().others().get(0).label()).startsWith("INFO: task swapper/0:1 is blocked on a mutex");
    assertThat(r.splats().get(2).stacks().frames()).isEmpty();
    assertThat(r.splats().get(2).damage().truncated()).isFalse(); // workqueue lockups need no call trace
  }

  @Test
  void softLockupInSyslog() throws IOException {
    SplatText.Result r = TestLogs.read("soft-lockup-syslog.log");
    Splat s = TestLogs.only(r);
    assertThat(s.kind()).isEqualTo(SplatKind.SOFT_LOCKUP);
    assertThat(s.task().cpu()).isEqualTo(1);
    assertThat(s.task().comm()).isEqualTo("ksoftirqd/1");
    assertThat(s.task().pid()).isEqualTo(23);
    assertThat(s.where().wallTime()).isEqualTo("Nov  8 19:38:07");
    assertThat(s.where().timestamp()).isEqualTo(424.479443);
    assertThat(s.stacks().frames().get(0).function()).isEqualTo("ieee80211_select_queue");
    assertThat(s.stacks().frames().get(0).module()).isEqualTo("mac80211");
    assertThat(r.info().format()).isEqualTo(LogFormat.SYSLOG);
    assertThat(r.stats().logLines()).isEqualTo(4 + 7); // the source's four comment lines, normal lines before and after
  }

  @Test
  void rcuStallSections() throws IOException {
    Splat s = TestLogs.only(TestLogs.read("rcu-stall-syzbot.log"));
    assertThat(s.kind()).isEqualTo(SplatKind.RCU_STALL);
    assertThat(s.task().cpu()).isEqualTo(1);
    assertThat(frame(s, "hrtimer_interrupt").section()).isEqualTo(Section.IRQ);
    assertThat(frame(s, "native_queued_spin_lock_slowpath").raw()).startsWith("RIP: 0010:");
    assertThat(frame(s, "tcp_close").section()).isEqualTo(Section.TASK); // after </IRQ>
    assertThat(s.damage().truncated()).isFalse();
  }

  @Test
  void hungTasksBackToBackInSyslog() throws IOException {
    SplatText.Result r = TestLogs.read("hung-task-syslog-2.6.38.log");
    assertThat(r.splats()).extracting(Splat::kind).containsOnly(SplatKind.HUNG_TASK);
    assertThat(r.splats()).extracting(s -> s.task().comm()).containsExactly("jbd2/sda2-8", "flush-8:0", "rs:main Q:Reg");
    assertThat(r.splats()).extracting(s -> s.task().pid()).containsExactly(349, 367, 3729);
    assertThat(r.splats()).noneMatch(s -> s.damage().truncated());
  }

  @Test
  void oldWarningsWithIrqAndEoiMarkers() throws IOException {
    SplatText.Result r = TestLogs.read("warning-3.10-irq-eoi.log");
    assertThat(r.splats()).hasSize(3).allMatch(s -> s.kind() == SplatKind.WARNING);
    Splat s = r.splats().get(0);
    assertThat(s.location()).isEqualTo("arch/x86/kernel/irq.c:182");
    assertThat(s.facts()).containsEntry("message", "Thread not rescheduled for 36 jiffies");
    assertThat(s.where().firstLine()).isEqualTo(7); // "cut here", after the six lines naming the source
    assertThat(s.stacks().frames().subList(0, 6)).allMatch(f -> f.section() == Section.IRQ);
    assertThat(s.stacks().frames().get(6).function()).isEqualTo("set_pageblock_migratetype");
    assertThat(s.stacks().frames().get(6).section()).isEqualTo(Section.TASK); // after <EOI>
    assertThat(s.stacks().frames().get(6).unreliable()).isTrue();
    assertThat(frame(s, "vfio_pci_mmap").module()).isEqualTo("vfio_pci");
    assertThat(r.splats().get(1).kernel().taint()).isEqualTo("G W O");
    assertThat(r.splats()).noneMatch(x -> x.damage().truncated());
  }

  @Test
  void kernelBugWithItsOopsLine() throws IOException {
    Splat s = TestLogs.only(TestLogs.read("kernel-bug-rhel8-abridged.log"));
    assertThat(s.kind()).isEqualTo(SplatKind.BUG);
    assertThat(s.location()).isEqualTo("mm/slub.c:294");
    assertThat(s.facts()).containsEntry("oops", "invalid opcode: 0000 [#1] SMP PTI");
    assertThat(s.kernel().taint()).isEqualTo("G IOE");
    assertThat(s.kernel().release()).isEqualTo("4.18.0-240.el8.x86_64");
    assertThat(s.stacks().frames().get(0).function()).isEqualTo("__slab_free");
    assertThat(s.stacks().frames().get(s.stacks().frames().size() - 1).module()).isEqualTo("qla2xxx");
    assertThat(s.damage().truncated()).isTrue();
  }

  @Test
  void nullPointerOopsWithWallClockPrefixes() throws IOException {
    SplatText.Result r = TestLogs.read("oops-dmesg-T.log");
    Splat s = TestLogs.only(r);
    assertThat(r.info().format()).isEqualTo(LogFormat.DMESG_WALL_CLOCK);
    assertThat(s.kind()).isEqualTo(SplatKind.OOPS);
    assertThat(s.where().wallTime()).isEqualTo("Thu Nov  6 22:36:44 2025");
    assertThat(s.where().timestamp()).isEqualTo(-1);
    assertThat(s.task().comm()).isEqualTo("iio-sensor-prox");
    assertThat(s.facts()).containsEntry("oops", "Oops: Oops: 0000 [#1] SMP NOPTI").containsEntry("Tainted", "[W]=WARN");
    assertThat(s.stacks().frames().get(0).function()).isEqualTo("bmc150_accel_set_interrupt");
    // the report ends at "---[ end trace ]---"; x86 repeats the registers after it
    assertThat(s.where().lastLine()).isEqualTo(59);
    assertThat(r.stats().logLines()).isEqualTo(6 + 10);
  }

  @Test
  void circularDependencyChain() throws IOException {
    Splat s = TestLogs.only(TestLogs.read("circular-dependency-4.1.log"));
    assertThat(s.kind()).isEqualTo(SplatKind.CIRCULAR_DEPENDENCY);
    assertThat(s.lockdep().acquiring().className()).isEqualTo("s_active#22");
    assertThat(s.lockdep().holding().className()).isEqualTo("cpu_hotplug.lock#2");
    assertThat(s.lockdep().chain()).extracting(ChainLink::n).containsExactly(4, 3, 2, 1, 0);
    assertThat(s.lockdep().chain().get(1).lock().className()).isEqualTo("(oom_notify_list).rwsem");
    assertThat(s.lockdep().chain().get(4).frames()).hasSize(26);
    assertThat(s.lockdep().heldLocks()).hasSize(9);
    assertThat(s.lockdep().heldLocksDeclared()).isEqualTo(9);
    assertThat(s.stacks().frames().get(1).function()).isEqualTo("print_circular_bug");
  }

  @Test
  void journalOutputAndADamagedCopy() throws IOException {
    SplatText.Result r = TestLogs.read("journal-unix-sleep-and-wait-context.log");
    assertThat(r.info().format()).isEqualTo(LogFormat.JOURNAL);
    assertThat(r.splats()).extracting(Splat::kind).containsExactly(SplatKind.SLEEP_IN_ATOMIC,
        SplatKind.INVALID_WAIT_CONTEXT);
    Splat sleep = r.splats().get(0);
    assertThat(sleep.atomic().preemptCount()).isEqualTo(1);
    assertThat(sleep.atomic().decodedPreemptCount().inTask()).isTrue();
    assertThat(sleep.atomic().irqsDisabled()).isTrue();
    assertThat(sleep.lockdep().heldLocks()).singleElement().satisfies(l -> assertThat(l.innerWait()).isEqualTo(2));
    assertThat(sleep.damage().corrupted()).isTrue(); // the poster pasted a block of frames twice
    assertThat(sleep.damage().problems()).singleElement().asString().startsWith(
        "journal-unix-sleep-and-wait-context.log:40: timestamps go backwards inside the report");
    Splat wait = r.splats().get(1);
    assertThat(wait.facts()).containsEntry("context", "{4:4}");
    assertThat(wait.lockdep().acquiring().innerWait()).isEqualTo(3);
    assertThat(wait.damage().corrupted()).isFalse();
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
    assertThat(functions(untangled.stacks().frames())).isEqualTo(functions(alone.stacks().frames()));
    assertThat(untangled.stacks().frames()).extracting(Frame::section)
        .isEqualTo(alone.stacks().frames().stream().map(Frame::section).collect(Collectors.toList()));
    assertThat(untangled.atomic().preemptCount()).isEqualTo(alone.atomic().preemptCount());
    assertThat(mixed.splats().get(1).lockdep().heldLocks()).hasSize(6);
    assertThat(mixed.splats()).noneMatch(s -> s.damage().truncated() || s.damage().corrupted());
  }

  @Test
  void withoutCallerTagsInterleavingIsVisibleAsDamage() throws IOException {
    SplatText.Result r = TestLogs.read("interleaved-untagged.log");
    assertThat(r.splats().get(0).damage().truncated()).isTrue(); // cut short by the other CPU's header
    assertThat(r.splats().get(1).damage().corrupted()).isTrue(); // its timestamps go back and forth
  }

  @Test
  void serialConsoleAndKmsgGiveTheSameReports() throws IOException {
    SplatText.Result console = TestLogs.read("serial-console-arm64.log");
    SplatText.Result plain = TestLogs.read("invalid-wait-context-arm64.log");
    assertThat(console.info().format()).isEqualTo(LogFormat.SERIAL_CONSOLE);
    Splat c = TestLogs.only(console);
    Splat p = TestLogs.only(plain);
    assertThat(functions(c.stacks().frames())).isEqualTo(functions(p.stacks().frames()));
    assertThat(c.lockdep().acquiring()).isEqualTo(p.lockdep().acquiring());
    SplatText.Result kmsg = TestLogs.read("kmsg-schedule-while-atomic.log");
    assertThat(kmsg.info().format()).isEqualTo(LogFormat.KMSG);
    Splat k = TestLogs.only(kmsg);
    Splat d = TestLogs.only(TestLogs.read("schedule-while-atomic-rt.log"));
    assertThat(k.where().timestamp()).isEqualTo(d.where().timestamp());
    assertThat(functions(k.stacks().frames())).isEqualTo(functions(d.stacks().frames()));
    assertThat(k.atomic().preemptCount()).isEqualTo(d.atomic().preemptCount());
  }

  @Test
  void truncatedAndCorruptedReportsKeepWhatIsThere() throws IOException {
    Splat cut = TestLogs.only(TestLogs.read("truncated-mid-line.log"));
    assertThat(cut.damage().truncated()).isTrue();
    assertThat(cut.damage().problems()).containsExactly("truncated-mid-line.log:108: the input ends in the middle of the report's last line");
    assertThat(cut.stacks().others().get(0).frames()).isNotEmpty();
    Splat lockdep = TestLogs.only(TestLogs.read("truncated-lockdep.log"));
    assertThat(lockdep.damage().truncated()).isTrue();
    assertThat(lockdep.lockdep().chain()).extracting(ChainLink::n).containsExactly(4, 3, 2);
    assertThat(lockdep.stacks().frames()).isEmpty();
    SplatText.Result damaged = TestLogs.read("corrupted-recursive.log");
    Splat bad = TestLogs.only(damaged);
    assertThat(bad.damage().corrupted()).isTrue();
    assertThat(bad.lockdep().acquiring()).isNull(); // its lock line is unreadable
    assertThat(bad.lockdep().holding().className()).isEqualTo("pci_bus_sem");
    assertThat(bad.damage().problems()).extracting(p -> p.substring(0, p.indexOf(": ", p.indexOf(": ") + 2)))
        .containsExactly("corrupted-recursive.log:9: malformed lock usage", "corrupted-recursive.log:33: malformed frame offset",
            "corrupted-recursive.log:42: unprintable bytes in the report");
    assertThat(damaged.stats().skipped()).containsEntry("malformed lock usage", 1L).containsEntry("malformed frame offset", 1L);
  }
}
