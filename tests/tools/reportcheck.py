#!/usr/bin/env python3
"""reportcheck: checks a JUnit or SARIF report against the JSON report of the same bundles.

    reportcheck.py junit REPORT.xml REPORT.json FAIL_ON TAG
    reportcheck.py sarif REPORT.sarif REPORT.json TAG [RULES.list]

RULES.list is `dartscan rules list` output (id, severity, title; tab-separated): the driver must
list exactly its finding rules, in order.

The JSON report is the contract (README "JSON output"); the other formats must say the same
thing. Prints "PASS TAG-check" or "FAIL TAG-check: why" per check, as tests/check.sh expects.
Standard library only: make check must not need anything beyond python3.
"""
import json
import re
import sys
import urllib.parse
import xml.etree.ElementTree as ET

SEVERITIES = ["none", "info", "warning", "error", "critical"]
LEVELS = {"critical": "error", "error": "error", "warning": "warning", "info": "note"}


class Checks:
    def __init__(self, tag):
        self.tag = tag
        self.failed = 0

    def check(self, name, problems):
        """problems: a list of strings; empty means the check passed."""
        if problems:
            self.failed += 1
            more = " (+%d more)" % (len(problems) - 1) if len(problems) > 1 else ""
            print("FAIL %s-%s: %s%s" % (self.tag, name, problems[0], more))
        else:
            print("PASS %s-%s" % (self.tag, name))


def findings(doc):
    return [(b, f) for b in doc["bundles"] for f in b["findings"]]


def case_name(f):
    return f["id"] + (" [%s]" % f["state_component"] if f["state_component"] else "")


def junit_suite(b, suite, fail_on, bad):
    """Compares one <testsuite> with one JSON bundle; appends what differs to bad."""
    where = b["path"]
    cases = suite.findall("testcase")
    fails = [c for c in cases if c.find("failure") is not None]
    errs = [c for c in cases if c.find("error") is not None]
    if suite.get("name") != b["path"]:
        bad.append("suite name %r, want %r" % (suite.get("name"), b["path"]))
    for attr, n in (("tests", len(cases)), ("failures", len(fails)), ("errors", len(errs))):
        if suite.get(attr) != str(n):
            bad.append("%s: %s=%s but %d such testcases" % (where, attr, suite.get(attr), n))
    if b["status"] == "error":
        if len(cases) != 1 or len(errs) != 1 or not errs[0].find("error").get("message"):
            bad.append("%s: an unreadable bundle needs one <error> testcase with a message" % where)
        return
    if not b["findings"]:
        if [c.get("name") for c in cases] != ["dartscan.no-findings"] or fails:
            bad.append("%s: no findings needs one passing dartscan.no-findings" % where)
        return
    want = b["findings"]
    if [c.get("name") for c in cases] != [case_name(f) for f in want]:
        bad.append("%s: testcases %r, want %r" % (where, [c.get("name") for c in cases],
                                                  [case_name(f) for f in want]))
        return
    nfail = sum(1 for f in want if SEVERITIES.index(f["severity"]) >= fail_on)
    if len(fails) != nfail:
        bad.append("%s: %d failures, want %d at or above fail-on" % (where, len(fails), nfail))
    for c, f in zip(cases, want):
        if c.get("classname") != f["component"]:
            bad.append("%s: classname %r, want %r" % (c.get("name"), c.get("classname"), f["component"]))
        el = c.find("failure")
        failing = SEVERITIES.index(f["severity"]) >= fail_on
        if failing != (el is not None):
            bad.append("%s: failure is %s for severity %s" % (c.get("name"), el is not None, f["severity"]))
            continue
        if el is None:
            el = c.find("system-out")
        elif el.get("message") != f["title"] or el.get("type") != f["severity"]:
            bad.append("%s: failure message/type %r/%r" % (c.get("name"), el.get("message"), el.get("type")))
        body = (el.text or "") if el is not None else ""
        for ev in f["evidence"]:
            if "%s:%d  " % (ev["entry"], ev["line"]) not in body:
                bad.append("%s: body lacks evidence %s:%d" % (c.get("name"), ev["entry"], ev["line"]))
        if f["remediation"] and "fix       " not in body:
            bad.append("%s: body lacks the fix" % c.get("name"))


def check_junit(path, doc, fail_on, ck):
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        ck.check("parse", ["not well-formed: %s" % e])
        return
    ck.check("parse", [])
    suites = root.findall("testsuite")
    bad = [] if root.tag == "testsuites" else ["root is <%s>" % root.tag]
    if len(suites) != len(doc["bundles"]):
        bad.append("%d testsuites for %d bundles" % (len(suites), len(doc["bundles"])))
    ck.check("suites", bad)
    bad = []
    for b, s in zip(doc["bundles"], suites):
        junit_suite(b, s, fail_on, bad)
    ck.check("testcases", bad)
    nfail = sum(1 for _, f in findings(doc) if SEVERITIES.index(f["severity"]) >= fail_on)
    got = len(root.findall("testsuite/testcase/failure"))
    ck.check("failure-count", [] if got == nfail else ["%d failures, want %d" % (got, nfail)])


URI_REF = re.compile(r"^[A-Za-z0-9\-._~/%]*$")


def sarif_locations(res, f, bad):
    """Evidence lines are the locations (the first, then related ones); a finding without any
    (a bundle check, a bundle fact) still has one location: GitHub refuses a result without."""
    ev = f["evidence"]
    locs = res.get("locations", [])
    rel = res.get("relatedLocations", [])
    if len(locs) != 1 or len(rel) != max(len(ev) - 1, 0):
        bad.append("%s: %d+%d locations for %d evidence lines" % (f["id"], len(locs), len(rel), len(ev)))
        return
    for loc in locs + rel:
        uri = loc["physicalLocation"]["artifactLocation"].get("uri", "")
        if not URI_REF.match(uri) or uri.startswith("/") or uri.startswith("../") or uri.startswith("./"):
            bad.append("%s: uri %r is not a relative reference" % (f["id"], uri))
    for loc, e in zip(locs + rel, ev):
        phys = loc["physicalLocation"]
        uri = phys["artifactLocation"].get("uri", "")
        stored = loc.get("properties", {}).get("entry", urllib.parse.unquote(uri))
        if stored != e["entry"] or not e["entry"].endswith(urllib.parse.unquote(uri)):
            bad.append("%s: uri %r for entry %r" % (f["id"], uri, e["entry"]))
        if phys.get("region", {}).get("startLine") != e["line"]:
            bad.append("%s: startLine %r, want %d" % (f["id"], phys.get("region", {}).get("startLine"), e["line"]))


def driver_rules(rules, listing, ck, unexplained, review):
    want = []
    with open(listing, encoding="utf-8") as fp:
        for line in fp:
            rid, sev = line.split("\t")[:2]
            if sev != "none":
                want.append((rid, LEVELS[sev]))
    # the driver's own rules, each added when its first result is given (in whichever order)
    own = set()
    if unexplained:
        own.add(("dartscan.unexplained", "note"))
    if review:
        own.add(("dartscan.review", "warning"))
    got = [(r["id"], r["defaultConfiguration"]["level"]) for r in rules]
    ok = got[:len(want)] == want and set(got[len(want):]) == own and len(got) == len(want) + len(own)
    ck.check("driver-rules", [] if ok else ["driver rules %r, want %r and %r" % (got, want, sorted(own))])


def check_sarif(path, doc, ck, listing=None):
    try:
        with open(path, encoding="utf-8") as fp:
            sarif = json.load(fp)
    except ValueError as e:
        ck.check("parse", ["not JSON: %s" % e])
        return
    ck.check("parse", [])
    bad = []
    if sarif.get("version") != "2.1.0" or "$schema" not in sarif or len(sarif.get("runs", [])) != 1:
        bad.append("version, $schema or runs wrong")
        ck.check("document", bad)
        return
    ck.check("document", bad)
    run = sarif["runs"][0]
    rules = run["tool"]["driver"].get("rules", [])
    ids = [r["id"] for r in rules]
    results = run.get("results", [])
    # the unexplained templates are notes of their own: the first 5 (the default) of each bundle's
    # JSON list, in order, after that bundle's findings
    notes_u = [r for r in results if r["ruleId"] == "dartscan.unexplained"]
    results = [r for r in results if r["ruleId"] != "dartscan.unexplained"]
    want_u = [(b["path"], t["template"]) for b in doc["bundles"] for t in b.get("unexplained", [])[:5]]
    got_u = [(r["properties"]["bundle"], r["properties"]["template"]) for r in notes_u]
    ck.check("unexplained-notes", [] if got_u == want_u and all(r["level"] == "note" for r in notes_u)
             else ["unexplained notes %r, want %r" % (got_u[:3], want_u[:3])])
    # what keeps a bundle from healthy: a warning per reason of each needs-review or unreadable bundle
    review = [r for r in results if r["ruleId"] == "dartscan.review"]
    results = [r for r in results if r["ruleId"] != "dartscan.review"]
    want_r = [(b["path"], x["code"], x["subject"]) for b in doc["bundles"]
              if b.get("verdict_class") in ("needs-review", "unreadable") for x in b.get("reasons", [])]
    got_r = [(r["properties"]["bundle"], r["properties"]["reason"], r["properties"]["subject"]) for r in review]
    ck.check("review-results", [] if got_r == want_r and all(r["level"] == "warning" for r in review)
             else ["review results %r, want %r" % (got_r[:3], want_r[:3])])
    if listing:
        driver_rules(rules, listing, ck, bool(notes_u), bool(review))
    fs = findings(doc)
    ck.check("result-count", [] if len(results) == len(fs) else ["%d results for %d findings" % (len(results), len(fs))])
    bad = [] if len(set(ids)) == len(ids) else ["duplicate rule ids"]
    for res in results + notes_u + review:
        i = res.get("ruleIndex", -1)
        if res["ruleId"] not in ids or not 0 <= i < len(ids) or ids[i] != res["ruleId"]:
            bad.append("result %s: not in driver rules at ruleIndex %r" % (res["ruleId"], i))
    ck.check("rule-ids", bad)
    bad = []
    for res, (b, f) in zip(results, fs):
        if res["ruleId"] != f["id"] or res["level"] != LEVELS[f["severity"]]:
            bad.append("result %s/%s, want %s/%s" % (res["ruleId"], res["level"], f["id"], LEVELS[f["severity"]]))
            continue
        p = res.get("properties", {})
        if p.get("bundle") != b["path"] or p.get("count") != f["count"] or p.get("first_seen") != f["first_seen"]:
            bad.append("%s: properties bundle/count/first_seen differ" % f["id"])
        if not res["message"]["text"].startswith(f["title"]):
            bad.append("%s: message does not start with the title" % f["id"])
        sarif_locations(res, f, bad)
    ck.check("results", bad)
    inv = run.get("invocations", [{}])[0]
    errs = [b["path"] for b in doc["bundles"] if b["status"] == "error"]
    notes = [n for n in inv.get("toolExecutionNotifications", []) if n.get("level") == "error"]
    bad = []
    if inv.get("executionSuccessful") != (not errs):
        bad.append("executionSuccessful %r with %d unreadable bundles" % (inv.get("executionSuccessful"), len(errs)))
    if sorted(n["properties"]["bundle"] for n in notes) != sorted(errs):
        bad.append("error notifications %r, want %r" % ([n["properties"]["bundle"] for n in notes], errs))
    ck.check("notifications", bad)


def main(argv):
    if len(argv) < 5 or argv[1] not in ("junit", "sarif"):
        print(__doc__, file=sys.stderr)
        return 2
    ck = Checks(argv[5] if argv[1] == "junit" and len(argv) > 5 else argv[4])
    try:
        with open(argv[3], encoding="utf-8") as fp:
            doc = json.load(fp)
    except (OSError, ValueError) as e:
        ck.check("json", ["the JSON report to compare with is unusable: %s" % e])
        return 0
    if argv[1] == "junit":
        check_junit(argv[2], doc, SEVERITIES.index(argv[4]), ck)
    else:
        check_sarif(argv[2], doc, ck, argv[5] if len(argv) > 5 else None)
    return 0  # failures are FAIL lines; a non-zero exit means the checker itself broke


if __name__ == "__main__":
    sys.exit(main(sys.argv))
