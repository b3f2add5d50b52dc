#!/usr/bin/env python3
"""Fails on an #include that crosses the layers upward (docs/architecture.md "Code conventions").

The layers, top to bottom: app -> actors -> clients -> protocol. A file may include its own layer
and the layers below it, never one above: protocol includes nothing of ours above it, clients may
include protocol, actors may include clients and protocol, app anything.

Usage:
  check_layers.py ROOT        check the tree at ROOT; exit 1 and one line per bad include
  check_layers.py --self-test  prove the check can fail: a temporary tree with one upward include
                               of each kind must be reported, a clean one must pass
"""
import os
import re
import sys
import tempfile

LAYERS = ["protocol", "clients", "actors", "app"]  # bottom to top
RANK = {name: i for i, name in enumerate(LAYERS)}
SOURCE_ENDINGS = (".hpp", ".cpp", ".h", ".cc")
INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"')


def layer_of(relative_path):
    top = relative_path.split("/", 1)[0]
    return top if top in RANK else None


def resolve(root, including_file, target):
    """The include's path relative to ROOT: our includes name the path from the root; a bare
    name is the including file's folder."""
    if layer_of(target) and os.path.exists(os.path.join(root, target)):
        return target
    beside = os.path.normpath(os.path.join(os.path.dirname(including_file), target))
    return os.path.relpath(beside, root)


def upward_includes(root):
    """Lines `file:line: <layer> includes <target> (<layer>)` for every upward include."""
    bad = []
    for layer in LAYERS:
        for folder, _, files in os.walk(os.path.join(root, layer)):
            for name in sorted(files):
                if not name.endswith(SOURCE_ENDINGS):
                    continue
                path = os.path.join(folder, name)
                with open(path, encoding="utf-8", errors="replace") as source:
                    for number, line in enumerate(source, 1):
                        match = INCLUDE.match(line)
                        if not match:
                            continue
                        target = resolve(root, path, match.group(1))
                        target_layer = layer_of(target)
                        if target_layer and RANK[target_layer] > RANK[layer]:
                            bad.append("%s:%d: %s includes %s (%s is above %s)" % (
                                os.path.relpath(path, root), number, layer, target,
                                target_layer, layer))
    return sorted(bad)


def write(root, path, text):
    full = os.path.join(root, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w", encoding="utf-8") as f:
        f.write(text)


def self_test():
    with tempfile.TemporaryDirectory() as root:
        write(root, "app/config.hpp", "#pragma once\n")
        write(root, "app/run.cpp", '#include "actors/tree.hpp"\n#include "app/config.hpp"\n')
        write(root, "actors/tree.hpp", '#include "clients/http.hpp"\n#include "protocol/json.hpp"\n')
        write(root, "clients/http.hpp", '#include "protocol/json.hpp"\n#include "url.hpp"\n')
        write(root, "clients/url.hpp", "#pragma once\n")
        write(root, "protocol/json.hpp", "#include <string>\n")
        clean = upward_includes(root)
        if clean:
            print("self-test: a clean tree was reported:\n" + "\n".join(clean))
            return 1
        write(root, "actors/tree.cpp", '#include "actors/tree.hpp"\n  #  include "app/config.hpp"\n')
        write(root, "clients/nocturna/token.hpp", '#include "../../actors/tree.hpp"\n')
        write(root, "protocol/texts.cpp", '#include "clients/http.hpp"\n')
        found = upward_includes(root)
        expected = [
            "actors/tree.cpp:2: actors includes app/config.hpp (app is above actors)",
            "clients/nocturna/token.hpp:1: clients includes actors/tree.hpp (actors is above clients)",
            "protocol/texts.cpp:1: protocol includes clients/http.hpp (clients is above protocol)",
        ]
        if found != expected:
            print("self-test: expected\n  %s\nfound\n  %s" % ("\n  ".join(expected), "\n  ".join(found)))
            return 1
    print("self-test: the three upward includes of the bad tree were reported, the clean tree passed")
    return 0


def main(argv):
    if argv[1:] == ["--self-test"]:
        return self_test()
    if len(argv) != 2:
        print(__doc__)
        return 2
    bad = upward_includes(argv[1])
    for line in bad:
        print(line)
    if bad:
        print("%d upward include(s): move the shared type down a layer (docs/architecture.md)" % len(bad))
        return 1
    print("no upward include in " + ", ".join(LAYERS))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
