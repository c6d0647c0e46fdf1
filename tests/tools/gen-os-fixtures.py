#!/usr/bin/env python3
"""Writes the macOS and Linux renderings of seed-dns's incident (#27): the same records as the
Windows bundle's plugin log and event export, merged in time, as a macOS `log show` export in each
style and as the Linux journal (short-iso text, -o json), under the layouts DART may use on those
clients [inferred: no public macOS or Linux DART bundle exists]. The Windows bundle's zone is Berlin
(its systeminfo), +02:00 in August: the macOS and short-iso lines carry +0200, the journal's
__REALTIME_TIMESTAMP the same instants in UTC. Run from the repository's top; the trees it writes
are kept in git (fixtures/mac-*, fixtures/linux-*), so a change reviews as text.

    python3 tests/tools/gen-os-fixtures.py
"""
import datetime as dt
import json
import os
import re
import shutil

SEED = "fixtures/seed-dns/Cisco Secure Client"
OFF = dt.timedelta(hours=2)
OFFS = "+0200"
HOST = "client-7"
PROC = {  # event Source -> the macOS/Linux process [inferred from DOMAIN.md's process names]
    "csc_umbrellaagent": ("acumbrellaagent", 1234, None),
    "csc_swgagent": ("acswgagent", 2345, "libacswgplugin.dylib"),
}
PLUGIN = ("acumbrellaagent", 1234, "libacumbrellaplugin.dylib")
TYPES = {"INFO": "Info", "DEBUG": "Default", "WARN": "Error", "ERROR": "Error",
         "Information": "Default", "Warning": "Error", "Error": "Error"}


def records():
    """(local time, process, pid, sender image, type, message) of both Windows logs, in time order."""
    out = []
    rx = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) \[\d+\] \[([A-Z]+)\] <\s*\d+> (.*)$")
    with open(os.path.join(SEED, "Umbrella/cscumbrellaplugin.txt"), newline="") as f:
        for line in f.read().splitlines():
            m = rx.match(line)
            if m:
                t = dt.datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S")
                out.append((t, 0, PLUGIN[0], PLUGIN[1], PLUGIN[2], TYPES[m.group(2)], m.group(3)))
    block = {}
    desc = None

    def flush():
        if "Date" in block:
            t = dt.datetime.strptime(block["Date"] + " " + block["Time"], "%m/%d/%Y %H:%M:%S")
            proc, pid, img = PROC[block["Source"]]
            out.append((t, 1, proc, pid, img, TYPES[block["Type"]], " ".join(desc)))

    with open(os.path.join(SEED, "Umbrella/Umbrella.txt")) as f:
        for line in f.read().splitlines():
            m = re.match(r"^(Date|Time|Type|Source|Description)\s*: ?(.*)$", line)
            if m and m.group(1) == "Date":
                flush()
                block, desc = {}, []
            if m:
                block[m.group(1)] = m.group(2)
                if m.group(1) == "Description":
                    desc.append(m.group(2))
            elif line.strip() and desc is not None and "Description" in block:
                desc.append(line.strip())  # a Description's next line: one message in the unified log
        flush()
    out.sort(key=lambda r: (r[0], r[1]))  # stable: the plugin's line first within a second, as read
    return out


FRAC = {}  # record index -> microseconds: 1 ms apart within a second, in the order logged


def stamp(t, i, frac=6):
    us = FRAC[i]
    s = t.strftime("%Y-%m-%d %H:%M:%S")
    return s + (".%06d" % us)[: frac + 1] if frac else s


def prefix(img, proc):
    sub = "com.cisco.anyconnect.umbrella" if proc == "acumbrellaagent" else "com.cisco.anyconnect.swg"
    return ("(%s) " % img if img else "") + "[%s:general] " % sub


def tree(name, product_dir):
    root = os.path.join("fixtures", name)
    shutil.rmtree(root, ignore_errors=True)
    um = os.path.join(root, product_dir, "umbrella")
    os.makedirs(os.path.join(um, "SWG"))
    shutil.copy(os.path.join(SEED, "Umbrella/OrgInfo.json"), um)
    shutil.copy(os.path.join(SEED, "Umbrella/SWG/SWGConfig.json"), os.path.join(um, "SWG"))
    with open("fixtures/seed-dns/.mtime") as f:  # when DART wrote it, local time
        t = dt.datetime.strptime(f.read().strip(), "%Y-%m-%d %H:%M:%S")
    with open(os.path.join(root, ".mtime"), "w") as f:  # a zip stores local time, a tar UTC
        f.write((t - OFF if name.startswith("linux-") else t).strftime("%Y-%m-%d %H:%M:%S") + "\n")
    return root


def write(root, rel, lines):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", newline="\n") as f:
        f.write("".join(l + "\n" for l in lines))


def main():
    recs = records()
    for i, r in enumerate(recs):
        FRAC[i] = FRAC[i - 1] + 1000 if i and recs[i - 1][0] == r[0] else 0
    counts = {"Default": 0, "Info": 0, "Debug": 0, "Error": 0, "Fault": 0}
    for r in recs:
        counts[r[5]] += 1

    # log show (default style), under a syslogs/ folder at the top, Secure Client's /opt layout
    root = tree("mac-default", "opt/cisco/secureclient")
    lines = ["Timestamp                       Thread     Type        Activity             PID    TTL  "]
    for i, (t, _, proc, pid, img, ty, msg) in enumerate(recs):
        lines.append("%s%s %-10s %-11s %-20s %-6d %-4d %s: %s%s" % (stamp(t, i), OFFS, "0x%x" % (0x1a2b + pid),
                     ty, "0x0", pid, 0, proc, prefix(img, proc), msg))
    lines.append("-" * 116)
    lines.append("Log      - " + ", ".join("%s: %12d" % (k, v) for k, v in counts.items()))
    write(root, "syslogs/umbrella.log", lines)

    # --style syslog, under Logs/, AnyConnect's /opt layout
    root = tree("mac-syslog", "opt/cisco/anyconnect")
    write(root, "Logs/unified_umbrella.txt", ["%s%s  %s %s[%d]: %s%s" % (stamp(t, i), OFFS, HOST, proc, pid,
          prefix(img, proc), msg) for i, (t, _, proc, pid, img, ty, msg) in enumerate(recs)])

    # --style compact: milliseconds, and its own header
    root = tree("mac-compact", "opt/cisco/secureclient")
    short = {"Default": "Df", "Info": "I ", "Debug": "Db", "Error": "E ", "Fault": "F "}
    write(root, "syslogs/acumbrellaagent.log", ["Timestamp               Ty Process[PID:TID]"] +
          ["%s%s %s %s[%d:%x] %s%s" % (stamp(t, i, 3), OFFS, short[ty], proc, pid, 0x1a2b + pid, prefix(img, proc), msg)
           for i, (t, _, proc, pid, img, ty, msg) in enumerate(recs)])

    # --style ndjson: an object a line
    root = tree("mac-ndjson", "opt/cisco/secureclient")
    objs = []
    for i, (t, _, proc, pid, img, ty, msg) in enumerate(recs):
        o = {"traceID": 1000 + i, "eventMessage": msg, "eventType": "logEvent",
             "timestamp": stamp(t, i) + OFFS, "machTimestamp": 1000000 + i,
             "messageType": ty, "processImagePath": "/opt/cisco/secureclient/bin/" + proc, "processID": pid,
             "senderImagePath": "/opt/cisco/secureclient/lib/" + img if img else "/opt/cisco/secureclient/bin/" + proc,
             "subsystem": "com.cisco.anyconnect.umbrella", "category": "general", "threadID": 0x1a2b + pid}
        objs.append(json.dumps(o, separators=(",", ":")))
    write(root, "syslogs/umbrella.ndjson", objs)

    # --style json: one array, each object pretty-printed as log(1) writes it ("[{", "},{", "}]")
    root = tree("mac-json", "opt/cisco/secureclient")
    body = []
    for k, line in enumerate(objs):
        o = json.loads(line)
        inner = json.dumps(o, indent=2, separators=(",", " : ")).splitlines()[1:-1]
        body.append(("[{" if k == 0 else "},{"))
        body.extend(inner)
    body.append("}]")
    write(root, "syslogs/umbrella.json", body)

    # Linux: the journal as short-iso text and as -o json, in a tar.gz; Secure Client's /opt layout
    root = tree("linux-iso", "opt/cisco/secureclient")
    write(root, "Logs/journal.txt", ["-- Logs begin at Tue 2024-08-27 00:00:01 CEST, end at Tue 2024-08-27 03:21:00 CEST. --"] +
          ["%s%s %s %s[%d]: %s" % (t.strftime("%Y-%m-%dT%H:%M:%S"), OFFS, HOST, proc, pid, msg)
           for (t, _, proc, pid, img, ty, msg) in recs])
    root = tree("linux-json", "opt/cisco/secureclient")
    objs = []
    for i, (t, _, proc, pid, img, ty, msg) in enumerate(recs):
        utc = (t - OFF).replace(tzinfo=dt.timezone.utc)
        us = int(utc.timestamp()) * 1000000 + FRAC[i]
        o = {"__CURSOR": "s=1;i=%x" % i, "__REALTIME_TIMESTAMP": str(us), "__MONOTONIC_TIMESTAMP": str(5000000 + i),
             "_BOOT_ID": "0f1e2d3c4b5a69788796a5b4c3d2e1f0", "PRIORITY": "3" if ty == "Error" else "6",
             "_HOSTNAME": HOST, "SYSLOG_IDENTIFIER": proc, "_COMM": proc, "_PID": str(pid), "MESSAGE": msg}
        objs.append(json.dumps(o, separators=(",", ":")))
    write(root, "Logs/journal.json", objs)


if __name__ == "__main__":
    main()
