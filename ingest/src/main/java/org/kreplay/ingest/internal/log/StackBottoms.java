package org.kreplay.ingest.internal.log;

import java.util.Set;

/**
 * Functions at the bottom of kernel stacks (thread start, syscall and boot entry). A call trace whose
 * last frame is one of them is complete even when nothing follows it: the input ending right after it
 * does not make the report truncated.
 */
final class StackBottoms {
  private StackBottoms() {}

  private static final Set<String> BOTTOMS = Set.of(
      // threads
      "ret_from_fork", "ret_from_fork_asm", "kernel_thread_helper", "kthread",
      // x86 system calls and returns to user space
      "entry_SYSCALL_64_after_hwframe", "entry_SYSCALL_64_fastpath", "entry_SYSCALL_64", "system_call_fastpath",
      "system_call", "tracesys", "sysenter_past_esp", "syscall_call", "entry_INT80_32", "entry_SYSENTER_32",
      "entry_SYSENTER_compat_after_hwframe", "entry_SYSCALL_compat_after_hwframe", "int_very_careful", "retint_signal",
      // boot and secondary CPUs
      "start_kernel", "x86_64_start_reservations", "x86_64_start_kernel", "secondary_startup_64",
      "secondary_startup_64_no_verify", "common_startup_64", "start_secondary", "__primary_switched",
      "secondary_start_kernel", "__secondary_switched", "rest_init", "kernel_init",
      // arm64 / arm entry from user space
      "el0t_64_sync", "el0t_64_irq", "el0t_32_sync", "el0_svc", "ret_fast_syscall", "ret_to_user", "work_pending",
      // riscv
      "ret_from_exception", "handle_exception", "_start_kernel");

  static boolean isBottom(String function) {
    return BOTTOMS.contains(function);
  }
}
