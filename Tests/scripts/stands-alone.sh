#!/usr/bin/env bash
# The repository must build, test and benchmark on its own: no git-tracked file outside bench/ and
# README.md may refer to the "shared" folder that sits beside a developer's clone. Fails, listing the lines, if one does.
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    echo "stands-alone: not a git work tree; check skipped"
    exit 0
fi
# Written with [/] so that this script does not match itself.
if git grep -n -E '\.\.[/]shared' -- . ':(exclude)bench/' ':(exclude)README.md'; then
    echo "stands-alone: the files above refer to the shared folder beside the clone; vendor what they need into the repository" >&2
    exit 1
fi
echo "stands-alone: no tracked file outside bench/ and README.md refers to the shared folder beside the clone"
