#!/usr/bin/env python3
"""Builds the derived test logs from the real ones beside this script (run it here to regenerate).

Each output says in its header which real report it comes from and what was changed:
  interleaved-tagged.log    two real reports printed "at once" by two CPUs, lines alternating, tags kept
  interleaved-untagged.log  the same without caller tags (a log that cannot be untangled)
  truncated-mid-line.log    a real report cut in the middle of a call-trace line
  truncated-lockdep.log     a real lockdep report cut inside its dependency chain
  corrupted-recursive.log   a real report with damaged lock and frame lines and stray binary bytes
  kmsg-schedule-while-atomic.log   a real report as /dev/kmsg records ("prio,seq,usec,flags;msg")
  serial-console-arm64.log  a real report in a serial console capture (CR LF, ANSI colours, systemd lines)
"""
import re

def body(name):
    """The log lines of a test log, without its '#' source header."""
    return [l for l in open(name, encoding='utf-8').read().split('\n') if l and not l.startswith('#')]

def write(name, header, lines, newline='\n', binary=False):
    text = ''.join('# ' + h + '\n' for h in header) + newline.join(lines) + newline
    with open(name, 'wb') as f:
        f.write(text.encode('latin-1' if binary else 'utf-8'))

# -- interleaved: the RT sleep-in-atomic report ([C1]) and the lkp recursive-locking report ([T1]) with its
# timestamps moved to the same second, alternating line by line.
a = body('sleep-in-atomic-rt-tagged.log')
b = body('lkp-recursive-hung-workqueue-tagged.log')
b = b[:b.index(next(l for l in b if 'INFO: task swapper/0:1 blocked' in l))]
def shift(l):
    return re.sub(r'^\[ *19\.416(\d{3})\]', lambda m: '[  163.911%s]' % m.group(1), l)
b = [shift(l) for l in b]
mixed = []
for i in range(max(len(a), len(b))):
    if i < len(a): mixed.append(a[i])
    if i < len(b): mixed.append(b[i])
src = ['Derived by derive-logs.py from sleep-in-atomic-rt-tagged.log ([C1]) and the recursive-locking report of',
       'lkp-recursive-hung-workqueue-tagged.log ([T1], timestamps moved to 163.911...): the two reports printed at',
       'the same time by two CPUs, their lines alternating. The caller tags tell them apart.']
write('interleaved-tagged.log', src, mixed)
untag = [re.sub(r'^(\[ *[0-9.]+\])\[ *[TC]\d+\]', r'\1', l) for l in mixed]
write('interleaved-untagged.log', src[:2] + ['the same time by two CPUs, lines alternating, with the caller tags removed: nothing tells them apart.'], untag)

# -- truncated in the middle of a frame line of the NMI backtrace
s = body('spinlock-lockup-decoded.log')
cut = next(i for i, l in enumerate(s) if 'copy_page_range' in l)
write('truncated-mid-line.log',
      ['Derived by derive-logs.py from spinlock-lockup-decoded.log: cut in the middle of the line of',
       'copy_page_range (the input ends there, without a newline).'], s[:cut] + [s[cut][:30]], newline='\n')
with open('truncated-mid-line.log', 'rb+') as f:  # no final newline: the line itself is cut
    data = f.read().rstrip(b'\n')
    f.seek(0); f.write(data); f.truncate()

# -- a lockdep report cut inside its dependency chain
c = body('circular-dependency-4.1.log')
cut = next(i for i, l in enumerate(c) if '-> #2 (oom_sem)' in l)
write('truncated-lockdep.log',
      ['Derived by derive-logs.py from circular-dependency-4.1.log: cut after chain link #3, before link #2;',
       'there is no "stack backtrace:" and no main call trace.'], c[:cut + 3])

# -- corrupted: damaged lines inside a real report
r = body('recursive-locking-syslog-prio.log')
out = []
for l in r:
    if 'pci_enable_link_state+0x69/0x1d0' in l and 'at:' in l:
        l = l.replace('{++++}-{3:3}', '{++++-{3:3}')          # usage string without its closing brace
    if l.endswith('__lock_acquire+0x9b5/0x2550'):
        l = l.replace('0x9b5/0x2550', '0x9b5/0x25g0')         # not a hex size
    if l.endswith('vmd_probe+0x75f/0x9d0'):
        l = l.replace('vmd_probe', 'vmd_pr\x00\x01obe')         # NUL and control bytes from a bad serial line
    out.append(l)
    if l.endswith('really_probe+0x164/0x3c0'):
        out.append('<6>[   13.815499] usb 1-1: new high-speed USB device number 2 using xhci_hcd')  # another CPU's line
write('corrupted-recursive.log',
      ['Derived by derive-logs.py from recursive-locking-syslog-prio.log, damaged on purpose: a lock line whose',
       'usage string lost its closing brace, a frame size with a non-hex digit, a frame with NUL/control bytes,',
       'and an unrelated line of another CPU in the middle of the <TASK> call trace.'], out, binary=True)

# -- /dev/kmsg records
k = body('schedule-while-atomic-rt.log')
recs = []
for seq, l in enumerate(k, 600):
    m = re.match(r'^\[ *(\d+)\.(\d{6})\] (.*)$', l)
    recs.append('%d,%d,%d%s,-;%s' % (4 if 'BUG' not in m.group(3) else 3, seq, int(m.group(1)), m.group(2), m.group(3)))
write('kmsg-schedule-while-atomic.log',
      ['Derived by derive-logs.py from schedule-while-atomic-rt.log: the same lines as /dev/kmsg records',
       '("level,sequence,microseconds,flags;message", as `cat /dev/kmsg` prints them).'], recs)

# -- serial console capture
w = body('invalid-wait-context-arm64.log')
esc = '\x1b'
con = ['[  ' + esc + '[0;32m  OK  ' + esc + '[0m] Started ' + esc + '[0;1;39mJournal Service' + esc + '[0m.',
       esc + '[2K' + '[  ' + esc + '[0;32m  OK  ' + esc + '[0m] Reached target ' + esc + '[0;1;39mLocal File Systems' + esc + '[0m.']
con += w[:-1]
con += ['[  ' + esc + '[0;31mFAILED' + esc + '[0m] Failed to start ' + esc + '[0;1;39mUFS storage' + esc + '[0m.', w[-1]]
write('serial-console-arm64.log',
      ['Derived by derive-logs.py from invalid-wait-context-arm64.log: the report inside a serial console capture,',
       'CR LF line ends, systemd status lines with ANSI colours and an erase-line escape around it.'], con, newline='\r\n')
