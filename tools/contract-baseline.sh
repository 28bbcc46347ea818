#!/usr/bin/env bash
# The breaking-change gate's baseline: extracts api-specs/ as it was at the baseline commit into
# target/contract-baseline/ and prints `export CONTRACT_BASELINE=...` for ApiSpecsCompatibilityTest.
# The baseline is
#   1. the last release tag before this commit (`git describe --tags --abbrev=0 HEAD^`), so every change since the
#      last release is held to the rule; on the tagged commit itself, the release before it;
#   2. with no tag yet: on a branch, the merge base with main (origin/main, else main) — what the branch changes;
#   3. on main itself (the merge base is HEAD): the parent commit — what this commit changes.
# With no earlier commit there is nothing to compare with: it says so and prints nothing to export.
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/contract-baseline

if ! git rev-parse -q --verify 'HEAD^{commit}' >/dev/null; then
    echo "contract baseline: not a git checkout; nothing to compare with" >&2
    exit 0
fi
if [[ "$(git rev-parse --is-shallow-repository)" == true ]]; then
    echo "contract baseline: shallow clone; fetching its history and tags" >&2
    if ! git fetch --quiet --unshallow --tags; then
        echo "contract baseline: could not fetch the history; clone with it (no --depth)" >&2
        exit 1
    fi
fi
if ! git rev-parse -q --verify 'HEAD^' >/dev/null; then
    echo "contract baseline: first commit; nothing to compare with" >&2
    exit 0
fi

if tag=$(git describe --tags --abbrev=0 'HEAD^' 2>/dev/null); then
    base=$tag
    why="last release tag $tag"
else
    main=$(git rev-parse -q --verify origin/main || git rev-parse -q --verify main || true)
    merge_base=${main:+$(git merge-base HEAD "$main")}
    if [[ -n "$merge_base" && "$merge_base" != "$(git rev-parse HEAD)" ]]; then
        base=$merge_base
        why="merge base with main $(git rev-parse --short "$base") (no release tag yet)"
    else
        base=$(git rev-parse 'HEAD^')
        where=${main:+on main}
        why="parent commit $(git rev-parse --short "$base") (${where:-no main branch here}, no release tag yet)"
    fi
fi

rm -rf "$out"
mkdir -p "$out"
for document in openapi.yaml asyncapi.yaml; do
    if git cat-file -e "$base:api-specs/$document" 2>/dev/null; then
        git show "$base:api-specs/$document" > "$out/$document"
    fi
done
echo "$why" > "$out/BASELINE"
echo "contract baseline: $why" >&2
echo "export CONTRACT_BASELINE=$PWD/$out"
