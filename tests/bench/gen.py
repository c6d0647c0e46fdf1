#!/usr/bin/env python3
"""gen: deterministic synthetic DART bundles for the benchmark (python3 stdlib only).

  gen.py bundle OUT.zip MB [SEED]   one large bundle of about MB MiB of uncompressed logs
  gen.py cases DIR N [SEED]         N small case bundles (DIR/case-NNN.zip)
  gen.py rules SRC_DIR DST_DIR K    the rule library K times: each pattern rule plus K-1 variants

A bundle holds the roaming-module plugin log (UTF-8, CRLF), the agent's event-log export
(UTF-8, CRLF, DART "Key : value" blocks), a second event export in UTF-16LE with a BOM, and a few
small settings files. Almost every line is ordinary noise -- including near misses such as the
state machine's "checking reachability" lines -- and a few hundred per 200 MiB are the failure
lines the shipped rules look for, in bursts spread over hours. Same arguments, same bytes: fixed
seeds, fixed zip times, no dependence on the clock or the locale.
"""
import io
import os
import random
import re
import sys
import zipfile

ZIP_TIME = (2024, 8, 27, 6, 41, 0)
MIB = 1 << 20
T0 = 1724716800  # 2024-08-27 00:00:00, treated as local time (no zone, as in the logs)

# Share of the uncompressed bytes per log.
SHARE_PLUGIN, SHARE_EVENTS, SHARE_UTF16 = 0.58, 0.34, 0.08


def stamp(t):
    """Seconds since T0 -> (yyyy-mm-dd, hh:mm:ss, mm/dd/yyyy) without time.localtime()."""
    days, sec = divmod(int(t), 86400)
    y, m, d = 2024, 8, 27 + days
    for month_len in (31, 30, 31, 30, 31, 31, 30, 31, 30, 31):  # Aug .. May: enough for 2 GiB
        if d <= month_len:
            break
        d -= month_len
        m += 1
        if m > 12:
            m, y = 1, y + 1
    hms = "%02d:%02d:%02d" % (sec // 3600, sec // 60 % 60, sec % 60)
    return "%04d-%02d-%02d" % (y, m, d), hms, "%02d/%02d/%04d" % (m, d, y)


class Plugin:
    """cscumbrellaplugin.txt: one record per line; state-machine cycles every ~5 s."""

    def __init__(self, rnd):
        self.r = rnd
        self.t = 0.0
        self.fail_left = 0  # failing cycles left in the current outage
        self.fails = 0

    def noise(self):
        r = self.r
        k = r.randrange(14)
        if k == 0:
            return "Active interface: Wi-Fi (192.168.%d.%d)" % (r.randrange(256), r.randrange(256))
        if k == 1:
            return "Sending DNS TXT query %d to 208.67.222.222:%d for debug.opendns.com id=0x%04x" % (
                r.randrange(1 << 16), r.choice((53, 443)), r.randrange(1 << 16))
        if k == 2:
            return "Received DNS response from 208.67.220.220 in %d ms, rcode=0" % r.randrange(1, 90)
        if k == 3:
            return "Dns Protection IPv%d State Machine: checking reachability of pr" % r.choice((4, 6))
        if k == 4:
            return "Dns Protection IPv%d State Machine: probing for OpenDNS resolve" % r.choice((4, 6))
        if k == 5:
            return "Dns Protection IPv%d State Machine: resolvers reachable, protected" % r.choice((4, 6))
        if k == 6:
            return "Network change detected on adapter {%08X-%04X-4E2B-9C1D-%012X}" % (
                r.randrange(1 << 32), r.randrange(1 << 16), r.randrange(1 << 48))
        if k == 7:
            return "Refreshing sync with sync.hydra.opendns.com, next in %d s" % r.randrange(60, 3600)
        if k == 8:
            return "Config file unchanged, hash=%08x%08x" % (r.randrange(1 << 32), r.randrange(1 << 32))
        if k == 9:
            return "Trusted network detection: domain %s.corp.example.com resolves to 10.%d.%d.%d: not trusted" % (
                r.choice(("tnd", "probe", "intranet", "wpad")), r.randrange(256), r.randrange(256), r.randrange(256))
        if k == 10:
            return "Local DNS proxy listening on 127.0.0.1:53 and [::1]:53, %d queries served" % r.randrange(1 << 20)
        if k == 11:
            return "Encrypted DNS session key rotated, serial %d" % r.randrange(1 << 31)
        if k == 12:
            return "VPN state: %s, tunnel adapter %s" % (r.choice(("connected", "disconnected", "reconnecting")),
                                                        r.choice(("Cisco AnyConnect", "none", "Cisco Secure Client")))
        return "Heartbeat %d ok, uptime %d s, memory %d KB" % (r.randrange(1 << 24), int(self.t), r.randrange(9000, 90000))

    def line(self, fail_rate):
        """One CRLF line. fail_rate: the chance per line that an outage starts."""
        r = self.r
        self.t += r.random() * 0.3
        level, thread = "DEBUG", 12
        if self.fail_left == 0 and r.random() < fail_rate:
            self.fail_left = r.randrange(8, 40)  # 40 s .. 3 min of 5 s cycles
        if self.fail_left and r.random() < 0.03:  # the cycle's rejection, about every 5 s of log
            self.fail_left -= 1
            self.fails += 1
            msg = "Dns Protection IPv%d State Machine: rejected all candidate reso" % r.choice((4, 4, 6))
        else:
            msg = self.noise()
            level = r.choice(("DEBUG", "DEBUG", "DEBUG", "INFO", "WARN"))
            thread = r.choice((10, 12, 13, 14, 22))
        day, hms, _ = stamp(self.t)
        return "%s %s [8880] [%s] <%3d> %s\r\n" % (day, hms, level, thread, msg)


class Events:
    """Umbrella.txt: DART event-log export blocks, oldest first."""

    def __init__(self, rnd):
        self.r = rnd
        self.t = 0.0
        self.swg_left = 0
        self.fails = 0
        self.deact = 0
        self.protected_states = 0

    def noise(self):
        r = self.r
        th = "Thread %x" % r.choice((0x1a2c, 0x27cc, 0x31f0, 0x4410))
        k = r.randrange(11)
        if k == 0:
            return "csc_swgagent", "TRACE | %s | Connection : Connecting to 146.112.%d.%d:443" % (
                th, r.randrange(256), r.randrange(256))
        if k == 1:
            return "csc_swgagent", "TRACE | %s | DNSLookup : address lookup took %d [ms], error = 0" % (
                th, r.randrange(1, 200))
        if k == 2:
            return "csc_swgagent", ("TRACE | %s | Connection : Resolved IP from 'swg-url-proxy-https.sigproxy.qq."
                                    "opendns.com' is 146.112.9.%d, using index = 0" % (th, r.randrange(256)))
        if k == 3:
            return "csc_swgagent", "BRIDGE | %s | Bridged %d bytes for flow %d" % (th, r.randrange(1 << 20), r.randrange(1 << 24))
        if k == 4:
            return "csc_swgagent", "LISTEN | %s | Accepted local connection on 127.0.0.1:%d" % (th, r.randrange(1024, 65536))
        if k == 5:
            return "csc_swgagent", "IPC | %s | Message %d from plugin, %d bytes" % (th, r.randrange(1 << 16), r.randrange(32, 4096))
        if k == 6:
            return "csc_umbrellaagent", "Dns Protection IPv%d: probing resolvers after interface change" % r.choice((4, 6))
        if k == 7:
            return "csc_umbrellaagent", ("Sync with https://sync.hydra.opendns.com completed in %d ms\r\n"
                                         "Next sync in %d s, policy %d unchanged" % (
                                             r.randrange(20, 900), r.randrange(60, 3600), r.randrange(1 << 20)))
        if k == 8:
            return "csc_swgagent", "THREAD | %s | Worker %d idle, queue %d" % (th, r.randrange(64), r.randrange(16))
        if k == 9:
            return "csc_swgagent", "TRACE | %s | Connection : succesfully initialized umbrellaLicInfo" % th
        return "csc_umbrellaagent", "Interface %s is up, DNS servers 127.0.0.1, ::1" % r.choice(("Wi-Fi", "Ethernet", "Ethernet 2"))

    def block(self, fail_rate):
        r = self.r
        self.t += r.random() * 0.65
        kind, src = "Information", None
        if self.swg_left == 0 and r.random() < fail_rate:
            self.swg_left = r.randrange(4, 20)
        if self.swg_left and r.random() < 0.05:
            self.swg_left -= 1
            self.fails += 1
            kind, src = "Warning", "csc_swgagent"
            desc = ("WARN | Thread 27cc | TCP handshake to SWG Proxy URL was not successful. "
                    "Since fail open policy is enabled, traffic will bypass the proxy")
        elif r.random() < 0.00007:
            stack = r.choice((4, 6))
            self.deact += 1
            src, desc = "csc_umbrellaagent", "IPv%d DNS redirection: DEACTIVATED" % stack
        elif r.random() < 0.00005:
            self.protected_states += 1
            src, desc = "csc_swgagent", ('TRACE | Thread 1a2c | CSWGAgent: State cjson object is '
                                         '{"version":1,"swg_protection_state":"protected"}')
        else:
            src, desc = self.noise()
        _, hms, mdy = stamp(self.t)
        return ("Date : %s\r\nTime : %s\r\nType : %s\r\nSource : %s\r\n\r\nDescription : %s\r\n\r\n"
                % (mdy, hms, kind, src, desc))


SMALL_FILES = {
    "Cisco Secure Client/Umbrella/OrgInfo.json":
        '{\r\n  "organizationId" : "2598416",\r\n  "fingerprint" : "0f5c8d7e2b9a4c1d",\r\n  "userId" : "11223344"\r\n}\r\n',
    "Cisco Secure Client/Umbrella/SWG/SWGConfig.json":
        '{"orgConfig":{"failOpen":1,"swgAnycast":"146.112.255.50","swgDomain":'
        '"swg-url-proxy-https.sigproxy.qq.opendns.com","swgEchoService":"http://www.msftconnecttest.com/connecttest.txt",'
        '"swgHonorTND":0,"exceptionList":["*.corp.example.com"]},"commonConfig":{}}\r\n',
    "Cisco Secure Client/DART/ipconfig.txt":
        "Windows IP Configuration\r\n\r\nWireless LAN adapter Wi-Fi:\r\n   IPv4 Address. . . . : 192.168.0.204\r\n"
        "   DNS Servers . . . . : 127.0.0.1\r\n",
}


def add_stream(zf, name, target, make_chunk, encoding="utf-8", bom=b""):
    """Writes about target bytes (after encoding) of generated text as one streamed zip entry."""
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    written = 0
    with zf.open(info, "w", force_zip64=True) as out:
        out.write(bom)
        written += len(bom)
        while written < target:
            data = make_chunk().encode(encoding)
            out.write(data)
            written += len(data)
    return written


def add_small(zf, name, text):
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    zf.writestr(info, text.encode("utf-8"))


def write_bundle(path, size, seed):
    """One bundle of about size bytes of logs. Returns the counts of planted lines."""
    rnd = random.Random(seed)
    plugin, events, events16 = Plugin(rnd), Events(rnd), Events(rnd)
    # Outages start with a fixed chance per line or block, so the number of failure lines grows
    # with the size: a few hundred per 200 MiB.
    p_fail, e_fail, e16_fail = 8e-6, 1.5e-5, 8e-5

    def chunk(gen, n):
        return lambda: "".join(gen() for _ in range(n))

    tmp = path + ".tmp"
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
        add_stream(zf, "Cisco Secure Client/Umbrella/cscumbrellaplugin.txt", int(size * SHARE_PLUGIN),
                   chunk(lambda: plugin.line(p_fail), 2000))
        add_stream(zf, "Cisco Secure Client/Umbrella/Umbrella.txt", int(size * SHARE_EVENTS),
                   chunk(lambda: events.block(e_fail), 500))
        add_stream(zf, "Cisco Secure Client/DART/EventLogs/Umbrella.txt", int(size * SHARE_UTF16),
                   chunk(lambda: events16.block(e16_fail), 500), "utf-16-le", b"\xff\xfe")
        for name in sorted(SMALL_FILES):
            add_small(zf, name, SMALL_FILES[name])
    os.replace(tmp, path)
    return {"dns_rejected": plugin.fails, "swg_handshake_utf8": events.fails, "swg_handshake_utf16": events16.fails,
            "dns_deactivated": events.deact + events16.deact,
            "swg_protected": events.protected_states + events16.protected_states}


def rule_blocks(text):
    """Splits a rule file into (preamble, [rule blocks]); a block starts at 'rule:'."""
    parts = re.split(r"(?m)^(?=rule:)", text)
    return parts[0], parts[1:]


def top_level_words(pattern):
    """Words (letters and '_', 5+) outside groups and classes: safe to vary in pattern and tests."""
    out, depth, i = [], 0, 0
    plain = []
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            plain.append(" ")
            i += 2
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "[" and depth == 0:
            j = pattern.index("]", i + 1)
            plain.append("_" * (j - i + 1))  # "[Rr]everted": a word glued to a class is not plain
            i = j + 1
            continue
        plain.append(c if depth == 0 and c != ")" else " ")
        i += 1
    out = re.findall(r"(?<![\w<])[A-Za-z][A-Za-z_]{4,}(?![\w>])", "".join(plain))
    return sorted(set(out), key=lambda w: (-len(w), w))


def vary_block(block, k):
    """Variant k of a rule block: new id, one word of its pattern changed in pattern and tests."""
    lines = block.split("\n")
    pats = [ln[len("pattern:"):].strip() for ln in lines if ln.startswith("pattern:")]
    words = []
    for p in pats:
        words += top_level_words(p)
    if not words:
        return None
    word = words[k % len(words)]
    new = word[:-2] + "%s%s" % ("abcdefghijklmnopqrstuvwxyz"[k % 26], word[-1])  # one letter off
    # not inside another word or a group name; a caseless pattern matches the word in any case
    flags = re.I if any("(?i)" in p for p in pats) else 0
    # a word right after a \b escape is a word too (the "b" is not part of it)
    whole = re.compile(r"(?:(?<=\\b)|(?<![<\w]))%s(?![\w>])" % word, flags)
    out, in_value = [], False
    for ln in lines:
        if ln.startswith("rule:"):
            ln = "%s.v%d" % (ln.rstrip(), k)
            in_value = False
        elif ln.startswith(("pattern:", "test:", "test-not:")):
            ln = whole.sub(new, ln)
            in_value = True
        elif in_value and ln[:1] in (" ", "\t"):  # a continuation line of a test record
            ln = whole.sub(new, ln)
        else:
            in_value = False
        out.append(ln)
    return "\n".join(out)


def write_rules(src, dst, times):
    os.makedirs(dst, exist_ok=True)
    for name in sorted(os.listdir(src)):
        if not name.endswith(".rules"):
            continue
        with open(os.path.join(src, name), encoding="utf-8") as f:
            pre, blocks = rule_blocks(f.read())
        body = [pre] + blocks
        for k in range(1, times):
            for b in blocks:
                v = vary_block(b, k)
                if v is not None:
                    body.append(v if v.endswith("\n") else v + "\n")
        with open(os.path.join(dst, name), "w", encoding="utf-8") as f:
            f.write("".join(body))


def main(argv):
    if len(argv) >= 4 and argv[1] == "bundle":
        seed = int(argv[4]) if len(argv) > 4 else 1
        counts = write_bundle(argv[2], int(float(argv[3]) * MIB), seed)
        print("%s: planted %s" % (argv[2], " ".join("%s=%d" % kv for kv in sorted(counts.items()))))
    elif len(argv) >= 4 and argv[1] == "cases":
        os.makedirs(argv[2], exist_ok=True)
        n, seed = int(argv[3]), int(argv[4]) if len(argv) > 4 else 1000
        for i in range(n):
            rnd = random.Random(seed + i)
            size = rnd.randrange(64 << 10, 1 << 20)  # 64 KiB .. 1 MiB of logs each
            write_bundle(os.path.join(argv[2], "case-%03d.zip" % i), size, seed + i)
    elif len(argv) >= 5 and argv[1] == "rules":
        write_rules(argv[2], argv[3], int(argv[4]))
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
