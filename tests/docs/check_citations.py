#!/usr/bin/env python3
"""Every "docs/<name>.md §X" cited in the sources names a section that exists in that doc.

    python3 tests/docs/check_citations.py [REPO_ROOT]

A section exists when a heading of the doc starts with its number ("## 4. Commands" is §4,
"### 4.6 /natal …" is §4.6). Also fails on a citation of the external spec that this repository
does not hold (bot.md, or calculations.md / integrations.md / telegram.md without the docs/ prefix),
and on a cited doc that does not exist. Also every file named in a doc's "*Code:*" paragraph exists,
so a renamed or removed file shows up here. Prints one line per problem: file:line, what, why.
"""
import glob
import os
import re
import sys

DOCS = ("behaviour", "telegram", "calculations", "integrations", "architecture")
SUFFIXES = (".cpp", ".hpp", ".h", ".py", ".sh", ".js", ".txt", ".cmake", ".tsv")
NAMES = ("CMakeLists.txt", "Makefile", ".env.example", "README.md", "Dockerfile")
SKIP_DIRS = {".git", "node_modules", "data", "logs"}

HEADING = re.compile(r"^#{1,6}\s+(\d+(?:\.\d+)*)\.?\s", re.M)
NUMBER = r"\d+(?:\.\d+)*"
# "docs/behaviour.md §1.5", "docs/telegram.md §2.6, §2.7", "docs/behaviour.md, §4.6 and §4.10",
# "docs/behaviour.md §4.3–§4.8". Comment markers between lines are removed before matching.
CITATION = re.compile(
    r"docs/(?P<doc>[a-z_]+)\.md,?\s*(?P<list>§" + NUMBER +
    r"(?:(?:,\s*|\s+and\s+|\s+or\s+|\s*[–-]\s*)§" + NUMBER + r")*)")
SECTION = re.compile(r"§(" + NUMBER + r")")
# The external spec, not in this repository: a bare bot.md anywhere, or a §-citation of one of the
# other spec names without the docs/ prefix.
SPEC = re.compile(r"(?<![\w/.\-])(?:bot\.md|(?:calculations|integrations|telegram|stack)\.md\s*§)")
COMMENT_BREAK = re.compile(r"\n[ \t]*(?://+!?|#+|\*+)?[ \t]*")


def sections(path):
    with open(path, encoding="utf-8") as f:
        return set(HEADING.findall(f.read()))


def sources(root):
    for dirpath, dirnames, filenames in os.walk(root):
        rel_dir = os.path.relpath(dirpath, root)
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith("build"))
        for name in sorted(filenames):
            rel = os.path.normpath(os.path.join(rel_dir, name))
            in_docs = os.path.dirname(rel) == "docs" and name.endswith(".md")
            if name in NAMES or name.endswith(SUFFIXES) or in_docs:
                yield rel


CODE_PATH = re.compile(r"`([A-Za-z0-9_.\-]+/[A-Za-z0-9_.\-/*]+)`")


def code_paragraph_paths(root, doc_rel):
    """(line, path) of each path in backticks in the doc's "*Code:*" paragraphs that does not exist."""
    missing = []
    with open(os.path.join(root, doc_rel), encoding="utf-8") as f:
        lines = f.read().split("\n")
    in_code = False
    for number, line in enumerate(lines, 1):
        if line.startswith("*Code:*"):
            in_code = True
        elif not line.strip():
            in_code = False
        if not in_code:
            continue
        for path in CODE_PATH.findall(line):
            pattern = os.path.join(root, path)
            exists = glob.glob(pattern) if "*" in path else os.path.exists(pattern)
            if not exists:
                missing.append((number, path))
    return missing


def blank_comment_breaks(text):
    """The text with each line break's comment marker ("//", "#", "*") blanked, same offsets, so a
    citation wrapped after "docs/x.md" or between two sections still reads as one."""
    return COMMENT_BREAK.sub(lambda m: "\n" + " " * (len(m.group(0)) - 1), text)


def by_number(sections):
    return sorted(sections, key=lambda s: [int(x) for x in s.split(".")])


def check(root):
    known = {}
    for doc in DOCS:
        path = os.path.join(root, "docs", doc + ".md")
        if os.path.exists(path):
            known[doc] = sections(path)
    problems = []
    cited = 0
    for rel in sources(root):
        if rel == os.path.join("tests", "docs", "check_citations.py"):
            continue  # this file names the patterns it looks for
        try:
            with open(os.path.join(root, rel), encoding="utf-8") as f:
                text = f.read()
        except (UnicodeDecodeError, OSError):
            continue
        for m in SPEC.finditer(text):
            problems.append("%s:%d: %r cites the external spec: cite docs/ of this repository"
                            % (rel, text.count("\n", 0, m.start()) + 1, m.group(0)))
        for m in CITATION.finditer(blank_comment_breaks(text)):
            doc = m.group("doc")
            line = text.count("\n", 0, m.start()) + 1
            if doc not in known:
                problems.append("%s:%d: docs/%s.md does not exist" % (rel, line, doc))
                continue
            for number in SECTION.findall(m.group("list")):
                cited += 1
                if number not in known[doc]:
                    problems.append("%s:%d: docs/%s.md §%s: no such section (it has §%s)"
                                    % (rel, line, doc, number, ", §".join(by_number(known[doc]))))
    for doc in DOCS:
        rel = os.path.join("docs", doc + ".md")
        if os.path.exists(os.path.join(root, rel)):
            for line, path in code_paragraph_paths(root, rel):
                problems.append("%s:%d: `%s` does not exist" % (rel, line, path))
    return cited, problems


def main(argv):
    root = argv[0] if argv else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    cited, problems = check(root)
    for p in problems:
        print(p)
    print("%d section citations checked, %d problem(s)" % (cited, len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
