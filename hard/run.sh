#!/usr/bin/env bash
# make check-hard: runs the hardening checks and prints one summary table.
#   hard/run.sh [--quick] [PART...]   PART: load reingest crash hostile access limits (default: all)
# Quick mode (CI) runs the short versions; a check that fails makes the exit status non-zero.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export QUICK=0
parts=()
for a in "$@"; do
  case "$a" in
    --quick) export QUICK=1 ;;
    *) parts+=("$a") ;;
  esac
done
if [[ ${#parts[@]} -eq 0 ]]; then
  for p in access limits hostile crash reingest load; do [[ -x "hard/$p.sh" ]] && parts+=("$p"); done
fi
mkdir -p var/hard
export HARD_RESULTS="$ROOT/var/hard/results.tsv"
: > "$HARD_RESULTS"
status=0
for p in "${parts[@]}"; do
  script="hard/$p.sh"
  if [[ ! -x "$script" ]]; then echo "check-hard: no check named $p ($script)" >&2; status=1; continue; fi
  echo "== $p" >&2
  start=$(date +%s)
  if ! "$script"; then
    printf '%s\t%s\t%s\t%s\n' "$p" "(script)" FAIL "exited non-zero; see the output above" >> "$HARD_RESULTS"
  fi
  echo "   ($p took $(( $(date +%s) - start )) s)" >&2
done
echo
printf '%-9s %-24s %-5s %s\n' PART CHECK RESULT DETAIL
printf '%-9s %-24s %-5s %s\n' ---- ----- ------ ------
while IFS=$'\t' read -r part check result detail; do
  printf '%-9s %-24s %-5s %s\n' "$part" "$check" "$result" "$detail"
  [[ "$result" == FAIL ]] && status=1
done < "$HARD_RESULTS"
exit $status
