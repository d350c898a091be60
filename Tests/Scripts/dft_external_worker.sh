#!/bin/sh
# Stands in for "another cluster" for the external label executor: finds
# label tasks under WORKDIR whose pw.in has no pw.out yet, runs pw.x there,
# and moves the output into place only when complete (as a copy-back would).
# usage: dft_external_worker.sh WORKDIR [SECONDS_TO_RUN]
set -u
workdir=$1
deadline=$(( $(date +%s) + ${2:-1800} ))
while [ "$(date +%s)" -lt "$deadline" ]; do
    for input in $(find "$workdir" -path '*label/task.*/pw.in' 2>/dev/null | sort); do
        task=$(dirname "$input")
        [ -e "$task/pw.out" ] && continue
        (cd "$task" && pw.x -in pw.in > pw.out.partial 2>/dev/null; mv pw.out.partial pw.out)
    done
    [ -e "$workdir/models/final" ] && exit 0
    sleep 1
done
