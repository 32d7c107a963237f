#!/usr/bin/env python3
"""Failed tests of a run, read from the .trx files directly in a results folder (not its subfolders).

  failed-tests.py DIR --only-e2e --max N   a `dotnet test --filter` for them, printed only if every failure is a browser
                                           test (DtiPortal.E2E) and there are at most N; nothing otherwise
  failed-tests.py DIR --names              their names, one per line
"""
import glob
import sys
import xml.etree.ElementTree as ET

NS = "{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}"


def failed(folder):
    out = []
    for path in sorted(glob.glob(folder + "/*.trx")):
        try:
            root = ET.parse(path).getroot()
        except ET.ParseError:
            continue
        methods = {}
        for d in root.iter(NS + "UnitTest"):
            m = d.find(NS + "TestMethod")
            if m is not None:
                methods[d.get("id")] = (d.get("storage") or "", m.get("className") + "." + m.get("name"))
        for r in root.iter(NS + "UnitTestResult"):
            if r.get("outcome") in ("Failed", "Error", "Timeout"):
                storage, fqn = methods.get(r.get("testId"), ("", r.get("testName")))
                out.append((storage, fqn, r.get("testName")))
    return out


def main():
    folder, args = sys.argv[1], sys.argv[2:]
    tests = failed(folder)
    if "--names" in args:
        for _, _, name in tests:
            print(name)
        return
    limit = int(args[args.index("--max") + 1]) if "--max" in args else 3
    if not tests or len(tests) > limit:
        return
    if "--only-e2e" in args and any("dtiportal.e2e.dll" not in s.lower() for s, _, _ in tests):
        return
    print("|".join(sorted({"FullyQualifiedName=" + fqn for _, fqn, _ in tests})))


main()
