#!/usr/bin/env python3
"""Seeds the corpora from the test fixtures, then runs each libFuzzer target for a bounded time.

Run through `make fuzz`, which builds the targets first (FUZZ_SECONDS, default 60, per target):

    .build-fuzz/corpus/<target>/     the corpus: seeds from the fixtures, then what the fuzzer keeps
    .build-fuzz/artifacts/<target>/  crash-*, timeout-*, oom-* inputs, if any

Exits 1 when a target found a crash, a timeout or an out-of-memory input. Replay one with the
ordinary build, e.g. `swift run fuzz-site .build-fuzz/artifacts/site/crash-…`, and keep it as a
regression in Tests/ChanceryTests/Fixtures/fuzz/<target>/ (FuzzRegressionTests replays that folder).
"""
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "Tests" / "ChanceryTests" / "Fixtures"
BUILD = ROOT / os.environ.get("FUZZ_BUILD", ".build-fuzz")
SECONDS = int(os.environ.get("FUZZ_SECONDS", "60"))
TARGETS = ["front-matter", "markdown", "site"]
MAX_LEN = {"front-matter": 8192, "markdown": 8192, "site": 16384}

# The role byte of the front-matter target (FuzzHarness.roles) and the file order of the site target (FuzzHarness.sitePaths).
ROLES = ["site.yaml", "content/_index.md", "chapter", "section", "countries", "officials", "agreements", "organizations"]
SITE_PATHS = ["site.yaml", "content/_index.md", "content/chapter-1/_index.md", "content/chapter-1/01-russia.md",
              "content/countries/russia.md", "content/officials/nikolai-patrushev.md",
              "content/agreements/security-memorandum.md", "content/organizations/csto.md",
              "content/chapter-1/02-ukraine.md", "content/countries/ukraine.md",
              "content/chapter-2/_index.md", "content/chapter-2/01-asia.md"]


def role_of(relative: str):
    parts = relative.split("/")
    if relative == "site.yaml":
        return 0
    if len(parts) < 2 or parts[0] != "content" or not relative.endswith(".md"):
        return None
    if len(parts) == 2:
        return 1
    if parts[1] in ROLES:
        return ROLES.index(parts[1])
    return 2 if parts[-1] == "_index.md" else 3


def sites():
    """Every fixture site folder: the invalid catalogue and the valid ones."""
    for group in ("invalid", "valid"):
        folder = FIXTURES / group
        if folder.is_dir():
            yield from sorted(p for p in folder.iterdir() if (p / "site.yaml").is_file())


def seed():
    corpus = {t: BUILD / "corpus" / t for t in TARGETS}
    for folder in corpus.values():
        folder.mkdir(parents=True, exist_ok=True)
    count = {t: 0 for t in TARGETS}

    def put(target, name, data: bytes):
        if len(data) <= MAX_LEN[target]:
            (corpus[target] / ("seed-" + name)).write_bytes(data)
            count[target] += 1

    for site in sites():
        files = {}
        for path in sorted(site.rglob("*")):
            if path.is_file() and not path.is_symlink():
                relative = path.relative_to(site).as_posix()
                role = role_of(relative)
                if role is None:
                    continue
                data = path.read_bytes()
                files[relative] = data
                name = site.name + "-" + relative.replace("/", "-")
                put("front-matter", name, bytes([role]) + data)
                body = data.split(b"\n---\n", 1)[-1] if data.startswith(b"---") else data
                put("markdown", name, bytes([0b1010]) + body)
        # The site target: the fixture's files in FuzzHarness.sitePaths order, NUL-separated.
        parts = [files.get(p, b"") for p in SITE_PATHS]
        while parts and not parts[-1]:
            parts.pop()
        put("site", site.name, b"\0".join(parts))
    # Earlier regressions are seeds too.
    for target in TARGETS:
        folder = FIXTURES / "fuzz" / target
        if folder.is_dir():
            for path in sorted(folder.iterdir()):
                if path.is_file():
                    put(target, "regression-" + path.name, path.read_bytes())
    return count


def run(target: str):
    binary = BUILD / "debug" / ("fuzz-" + target)
    artifacts = BUILD / "artifacts" / target
    artifacts.mkdir(parents=True, exist_ok=True)
    earlier = set(p.name for p in artifacts.iterdir())
    dictionary = ROOT / "fuzz" / (target + ".dict")
    command = [str(binary), str(BUILD / "corpus" / target),
               f"-max_total_time={SECONDS}", f"-max_len={MAX_LEN[target]}", "-timeout=10", "-rss_limit_mb=3072",
               f"-artifact_prefix={artifacts}/", "-print_final_stats=1"]
    if dictionary.is_file():
        command.append(f"-dict={dictionary}")
    env = dict(os.environ)
    # libFuzzer and AddressSanitizer report crashes; the Swift runtime's backtracer would only slow them down.
    env["SWIFT_BACKTRACE"] = "enable=no"
    env.setdefault("ASAN_OPTIONS", "detect_leaks=0:handle_abort=1")
    log = BUILD / "logs" / (target + ".log")
    log.parent.mkdir(parents=True, exist_ok=True)
    started = time.time()
    with open(log, "w") as out:
        result = subprocess.run(command, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=BUILD)
    elapsed = time.time() - started
    text = log.read_text(errors="replace")
    executed = re.search(r"stat::number_of_executed_units:\s*(\d+)", text)
    coverage = re.findall(r"cov: (\d+) ft: (\d+)", text)
    found = sorted(p.name for p in artifacts.iterdir()
                   if p.name not in earlier and p.name.startswith(("crash-", "timeout-", "oom-", "leak-", "slow-unit-")))
    return {
        "target": target, "status": result.returncode, "seconds": elapsed, "log": log,
        "executions": int(executed.group(1)) if executed else None,
        "coverage": coverage[-1] if coverage else None, "artifacts": found,
    }


def main():
    targets = sys.argv[1:] or TARGETS
    counts = seed()
    print("seeds: " + ", ".join(f"{t} {counts[t]}" for t in TARGETS))
    failed = False
    for target in targets:
        print(f"fuzz-{target}: {SECONDS} s …", flush=True)
        report = run(target)
        cov = f"cov {report['coverage'][0]}, ft {report['coverage'][1]}" if report["coverage"] else "no coverage line"
        print(f"fuzz-{target}: {report['executions']} executions in {report['seconds']:.0f} s ({cov}), exit {report['status']}")
        if report["status"] != 0 or report["artifacts"]:
            failed = True
            print(f"fuzz-{target}: FOUND A PROBLEM; see {report['log']}")
            for name in report["artifacts"]:
                print(f"  {BUILD / 'artifacts' / target / name}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
