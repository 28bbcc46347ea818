#!/usr/bin/env bash
# Prints, once a second until killed, how busy cores 0 and 1 were (percent, from /proc/stat): run.sh keeps one
# beside each measurement (bench/logs/cluster/cpu-<case>-<kind>-<run>.log), to tell a saturated core from an idle wait.
read_cpu() { awk -v c="cpu$1" '$1==c {idle=$5+$6; tot=0; for(i=2;i<=NF;i++) tot+=$i; print tot, idle}' /proc/stat; }
read -r t0 i0 <<<"$(read_cpu 0)"; read -r t1 i1 <<<"$(read_cpu 1)"
while sleep 1; do
  read -r T0 I0 <<<"$(read_cpu 0)"; read -r T1 I1 <<<"$(read_cpu 1)"
  echo "$(date +%s) cpu0 $(( 100 - 100*(I0-i0)/(T0-t0) )) cpu1 $(( 100 - 100*(I1-i1)/(T1-t1) ))"
  t0=$T0; i0=$I0; t1=$T1; i1=$I1
done
