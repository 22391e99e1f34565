#!/bin/bash
# rtvm.sh - record kreplay's scenarios on real kernels (Debian PREEMPT_RT 6.1, Debian 6.1,
# and self-built 6.12 lockdep kernels) in a QEMU VM. See README.md beside this file.
#
#   rtvm.sh deps                      install what is needed (apt, idempotent)
#   rtvm.sh kernel FLAVOUR            build a lockdep kernel when absent (lockdep-rt | lockdep)
#   rtvm.sh run KERNEL SCENARIO       boot KERNEL, record SCENARIO into rec/KERNEL/SCENARIO/
#   rtvm.sh all [KERNEL...]           every scenario of each kernel (default: all four kernels)
#   rtvm.sh list                      kernels and their scenarios
#
# KERNEL: rt (linux-image-rt-amd64), std (linux-image-amd64), lockdep-rt, lockdep (built here).
# Environment: RTVM_CACHE (default /var/cache/kreplay-rtvm), RTVM_OUT (default rec/ beside this
# script), RTVM_TIMEOUT (seconds per boot, default 300), RTVM_ACCEL=kvm to try KVM (default
# TCG: the nested /dev/kvm of the build machine hangs stock kernels), RTVM_TCG_THREAD=single for
# one host thread for all vCPUs, RTVM_LIGHT=1 to record lockdep's events without kprobes and the
# function tracer (whose text patching the lockdep kernels do not survive under TCG), RTVM_JOBS (make -j for
# the kernel build, default 1).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE=${RTVM_CACHE:-/var/cache/kreplay-rtvm}
OUTROOT=${RTVM_OUT:-$HERE/rec}
VM_TIMEOUT=${RTVM_TIMEOUT:-300}
JOBS=${RTVM_JOBS:-1}
LINUX_SRC_PKG=linux-source-6.12

log() { printf '[rtvm %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Scenarios per kernel: the RT kernel gets everything; the non-RT kernel the cases whose
# verdict differs between RT and non-RT; the lockdep kernels the bug/fix pairs.
SCEN_rt="control-idle control-cyclictest s1-bug s1-rcu s1-wq s1-contended s2-bug s2-fix s3-bug s3-fix s4-bug s4-fix"
SCEN_std="control-cyclictest s1-bug s2-bug s3-bug s4-bug"
SCEN_lockdep_rt="s1-bug s1-rcu s1-wq s2-bug s2-fix s3-bug s3-fix s4-bug s4-fix"
SCEN_lockdep="s2-bug s2-fix s4-bug"
scenarios_of() { local v="SCEN_${1//-/_}"; echo "${!v}"; }

# Kernel command line additions per kernel and scenario: where the kernel's own report stops the
# guest (a contended lock in hardirq schedules; on the lockdep kernels every bug variant does),
# panic on it and print the ftrace buffer on the console first: kreplay reads that dump as a trace.
extra_cmdline() {
	case $1:$2 in
	*:*-contended | lockdep*:*-bug) echo "panic_on_warn=1 ftrace_dump_on_oops${RTVM_LIGHT:+ rtvm.light=1}" ;;
	*) echo "${RTVM_LIGHT:+rtvm.light=1}" ;;
	esac
}

# ---------------------------------------------------------------------------------------------
# Dependencies

need_pkgs() {
	local missing=()
	for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p"); done
	if ((${#missing[@]})); then
		log "apt-get install ${missing[*]}"
		apt-get update -qq
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
	fi
}

deps() {
	need_pkgs qemu-system-x86 busybox-static trace-cmd rt-tests stress-ng build-essential \
		xz-utils cpio gzip kmod linux-image-rt-amd64 linux-headers-rt-amd64 \
		linux-image-amd64 linux-headers-amd64
}

deps_kernel_build() {
	need_pkgs "$LINUX_SRC_PKG" bc bison flex libelf-dev libssl-dev dwarves python3
}

# ---------------------------------------------------------------------------------------------
# Kernels

# Newest installed Debian kernel of a flavour: prints its release (uname -r).
debian_kver() {
	local pat=$1 v
	v=$(ls /boot/vmlinuz-*"$pat" 2>/dev/null | sed 's|/boot/vmlinuz-||' | grep -v -- '-rt-' | sort -V | tail -1)
	[[ $pat == -rt-amd64 ]] && v=$(ls /boot/vmlinuz-*-rt-amd64 2>/dev/null | sed 's|/boot/vmlinuz-||' | sort -V | tail -1)
	[[ -n $v ]] || die "no /boot/vmlinuz-*$pat: run '$0 deps'"
	echo "$v"
}

# Sets KVER, VMLINUZ, KBUILD (tree to build modules against), KMODS (modules dir or empty).
kernel_paths() {
	case $1 in
	rt | std)
		if [[ $1 == rt ]]; then KVER=$(debian_kver -rt-amd64); else KVER=$(debian_kver -amd64); fi
		VMLINUZ=/boot/vmlinuz-$KVER
		KBUILD=/lib/modules/$KVER/build
		KMODS=/lib/modules/$KVER
		[[ -d $KBUILD ]] || die "no headers for $KVER: run '$0 deps'"
		;;
	lockdep-rt | lockdep)
		kernel_build "$1"
		KBUILD=$CACHE/build-$1
		VMLINUZ=$KBUILD/arch/x86/boot/bzImage
		KVER=$(cat "$KBUILD/include/config/kernel.release")
		KMODS=
		;;
	*) die "unknown kernel '$1' (rt, std, lockdep-rt, lockdep)" ;;
	esac
}

# Build a lockdep kernel from linux-source-6.12 into $CACHE/build-FLAVOUR when absent.
kernel_build() {
	local flavour=$1 b=$CACHE/build-$1 src=$CACHE/linux-source-6.12 opts=() line t0
	[[ -f $b/arch/x86/boot/bzImage && -f $b/Module.symvers && -f $b/.rtvm-built ]] && return 0
	deps_kernel_build
	mkdir -p "$CACHE"
	if [[ ! -f $src/Makefile ]]; then
		log "unpacking /usr/src/$LINUX_SRC_PKG.tar.xz"
		tar -C "$CACHE" -xf /usr/src/$LINUX_SRC_PKG.tar.xz
	fi
	mkdir -p "$b"
	while read -r line; do
		line=${line%%#*}
		[[ -z ${line// /} ]] && continue
		case $line in
		rt:*) [[ $flavour == lockdep-rt ]] && opts+=(${line#rt:}) ;;
		nonrt:*) [[ $flavour == lockdep ]] && opts+=(${line#nonrt:}) ;;
		*) opts+=($line) ;;
		esac
	done <"$HERE/kernel/lockdep.options"
	log "configuring $flavour in $b (tinyconfig + kernel/lockdep.options)"
	make -s -C "$src" O="$b" ARCH=x86_64 tinyconfig >/dev/null
	"$src/scripts/config" --file "$b/.config" --set-str LOCALVERSION "-kreplay-$flavour" "${opts[@]}"
	make -s -C "$src" O="$b" ARCH=x86_64 olddefconfig >/dev/null
	for o in PREEMPT_RT PROVE_LOCKING PROVE_RAW_LOCK_NESTING DEBUG_ATOMIC_SLEEP KPROBE_EVENTS VIRTIO_BLK SMP; do
		printf '  %-24s %s\n' "$o" "$(grep -E "^(# )?CONFIG_$o[= ]" "$b/.config" || echo unset)" >&2
	done
	t0=$SECONDS
	log "building $flavour with make -j$JOBS (log: $b/build.log)"
	make -C "$src" O="$b" ARCH=x86_64 -j"$JOBS" bzImage modules >"$b/build.log" 2>&1 || {
		tail -30 "$b/build.log" >&2
		die "kernel build failed"
	}
	echo "$((SECONDS - t0))" >"$b/.rtvm-built"
	log "built $flavour in $((SECONDS - t0)) s"
}

# ---------------------------------------------------------------------------------------------
# Test modules and initramfs

build_modules() {
	local kernel=$1 d=$CACHE/modules-$1
	rm -rf "$d" && mkdir -p "$d"
	cp "$HERE"/modules/*.c "$HERE"/modules/*.h "$HERE"/modules/Kbuild "$d"/
	log "building test modules against $KBUILD"
	make -s -C "$KBUILD" M="$d" modules >"$d/build.log" 2>&1 || {
		cat "$d/build.log" >&2
		die "module build failed"
	}
}

libs_of() { ldd "$1" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'; }

copy_with_libs() { # copy_with_libs ROOT FILE...: the files and the shared libraries they need
	local root=$1 f lib
	shift
	for f in "$@"; do
		[[ -e $root$f ]] || install -D -m 0755 "$f" "$root$f"
		for lib in $(libs_of "$f"); do
			[[ -e $root$lib ]] || install -D -m 0755 "$lib" "$root$lib"
		done
	done
}

build_initramfs() {
	local kernel=$1 r=$CACHE/initramfs-$1 m
	rm -rf "$r" && mkdir -p "$r"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,out,lib/rtvm,etc}
	install -m 0755 /bin/busybox "$r/bin/busybox"
	for a in $("$r/bin/busybox" --list); do [[ -e $r/bin/$a ]] || ln -s busybox "$r/bin/$a"; done
	copy_with_libs "$r" /usr/bin/trace-cmd /usr/bin/cyclictest /usr/bin/hackbench /usr/bin/stress-ng
	# traceevent plugins, so that trace-cmd in the guest decodes like the host's
	mkdir -p "$r/usr/lib/x86_64-linux-gnu"
	copy_with_libs "$r" /usr/lib/x86_64-linux-gnu/traceevent/plugins/*.so
	# virtio modules of Debian's kernels, in dependency order
	: >"$r/lib/rtvm/boot-modules"
	if [[ -n $KMODS ]]; then
		for m in $(modprobe -S "$KVER" --show-depends -a virtio_pci virtio_blk | awk '$1=="insmod"{print $2}' | awk '!seen[$0]++'); do
			install -D -m 0644 "$m" "$r$m"
			echo "$m" >>"$r/lib/rtvm/boot-modules"
		done
	fi
	cp "$CACHE/modules-$kernel"/*.ko "$r/lib/rtvm/"
	install -m 0755 "$HERE/guest/init" "$r/init"
	install -m 0755 "$HERE/guest/scenario.sh" "$r/lib/rtvm/scenario.sh"
	(cd "$r" && find . | cpio -o -H newc --quiet | gzip -1) >"$CACHE/initramfs-$kernel.cpio.gz"
	log "initramfs $(du -h "$CACHE/initramfs-$kernel.cpio.gz" | cut -f1) for $kernel ($KVER)"
}

prepare() { # prepare KERNEL: modules + initramfs, once per invocation and kernel
	local v="PREPARED_${1//-/_}"
	[[ -n ${!v:-} ]] && return 0
	kernel_paths "$1"
	build_modules "$1"
	build_initramfs "$1"
	printf -v "$v" 1
}

# ---------------------------------------------------------------------------------------------
# One boot

accel_args() {
	if [[ ${RTVM_ACCEL:-tcg} == kvm && -w /dev/kvm ]]; then
		ACCEL_NAME=kvm
		ACCEL=(-accel kvm -cpu host)
	else
		ACCEL_NAME="tcg${RTVM_TCG_THREAD:+ thread=$RTVM_TCG_THREAD} (emulated: absolute latencies are slowed)"
		ACCEL=(-accel "tcg,thread=${RTVM_TCG_THREAD:-multi}" -cpu max)
	fi
}

run_one() {
	local kernel=$1 sc=$2 out=$OUTROOT/$1/$2 work=$CACHE/run-$1-$2 t0 rc cmdline
	prepare "$kernel"
	accel_args
	rm -rf "$work" && mkdir -p "$work"
	truncate -s 512M "$work/disk.img"
	cmdline="console=ttyS0 panic=1 nokaslr rtvm.scenario=$sc $(extra_cmdline "$kernel" "$sc")"
	log "boot $kernel ($KVER) scenario $sc, accel $ACCEL_NAME, timeout ${VM_TIMEOUT}s"
	t0=$SECONDS
	rc=0
	timeout --kill-after=10 "$VM_TIMEOUT" qemu-system-x86_64 "${ACCEL[@]}" -smp 2 -m 1024 \
		-nodefaults -no-reboot -display none -serial "file:$work/console.log" \
		-kernel "$VMLINUZ" -initrd "$CACHE/initramfs-$kernel.cpio.gz" -append "$cmdline" \
		-drive "file=$work/disk.img,format=raw,if=virtio" || rc=$?
	log "VM exited rc=$rc after $((SECONDS - t0)) s"
	rm -rf "$out" && mkdir -p "$out"
	if tar -C "$out" -xf "$work/disk.img" 2>/dev/null; then :; else log "no results on the disk (the guest did not finish)"; fi
	tr -d '\r' <"$work/console.log" >"$out/console.log"
	{
		echo "kernel=$kernel release=$KVER accel=$ACCEL_NAME"
		echo "cmdline=$cmdline"
		echo "qemu_rc=$rc wall_s=$((SECONDS - t0))"
	} >"$out/vm.txt"
	postprocess "$out"
	log "recorded into ${out#$HERE/}"
}

# Keep the checked-in form small: text compressed, trace.dat as recorded.
postprocess() {
	local o=$1 f
	if [[ -f $o/kallsyms.txt ]]; then
		grep -E '\[rtvm_' "$o/kallsyms.txt" >"$o/kallsyms-modules.txt" || true
		mkdir -p "$CACHE/kallsyms" && mv "$o/kallsyms.txt" "$CACHE/kallsyms/$(basename "$(dirname "$o")")-$(basename "$o").txt"
	fi
	for f in trace.txt dmesg.txt console.log; do [[ -f $o/$f ]] && xz -9 -f "$o/$f"; done
	return 0
}

# ---------------------------------------------------------------------------------------------

cmd=${1:-}
case $cmd in
deps) deps ;;
kernel) deps_kernel_build; kernel_build "${2:?flavour}" ;;
run)
	deps
	run_one "${2:?kernel}" "${3:?scenario}"
	pgrep -f "qemu-system-x86_64.*$CACHE" >/dev/null && die "a qemu process is still running"
	;;
all)
	deps
	shift
	kernels=("$@")
	((${#kernels[@]})) || kernels=(rt std lockdep-rt lockdep)
	t_all=$SECONDS
	for k in "${kernels[@]}"; do
		for sc in $(scenarios_of "$k"); do run_one "$k" "$sc"; done
	done
	log "all: ${kernels[*]} in $((SECONDS - t_all)) s"
	;;
list) for k in rt std lockdep-rt lockdep; do echo "$k: $(scenarios_of $k)"; done ;;
*) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
