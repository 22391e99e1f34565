#!/bin/bash
# usage: postprocess.sh DIR   (produces reports, counts check, v6)
cd "$1" || exit 1
a=$(grep -vc '^#' trace.txt)
b=$(trace-cmd report trace.dat 2>/dev/null | grep -vc '^cpus=')
echo "trace.txt events=$a  trace.dat report events=$b"
grep entries-in-buffer trace.txt
trace-cmd report trace.dat > report.txt 2>report.stderr
trace-cmd report -l trace.dat > report-l.txt 2>>report.stderr
trace-cmd report -R trace.dat > report-R.txt 2>>report.stderr
if trace-cmd convert --file-version 6 -i trace.dat -o trace-v6.dat > convert.log 2>&1; then
  c=$(trace-cmd report trace-v6.dat 2>/dev/null | grep -vc '^cpus=')
  echo "v6 events=$c"; cmp -s report.txt <(trace-cmd report trace-v6.dat 2>/dev/null) && echo "v6 report identical"
fi
