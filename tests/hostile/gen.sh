#!/bin/sh
# gen.sh: builds the hostile-input corpus at test time (nothing large or binary is kept in git).
# usage: gen.sh BUILD_DIR   -> BUILD_DIR/hostile/<case>...
# Needs BUILD_DIR/mkbundle and BUILD_DIR/fixtures (make fixtures), python3 (stdlib only), dd.
# Every case is what a customer's upload could be: damaged, crafted, or simply enormous.
set -eu
B=${1:-build}
H=$B/hostile
F=$B/fixtures
rm -rf "$H"
mkdir -p "$H"

# Truncated archives: the first half of a good bundle (a zip's central directory is gone; a
# tar.gz stops mid-stream). The small tar.gz is cut before its first whole entry; the larger one
# has 400 KB of noise after the logs, so the cut falls there (gzip loses up to 64 KB before it).
cp -R fixtures/seed-both "$H/tree"
python3 -c 'import random, sys; r = random.Random(7); sys.stdout.write("".join("%08x noise line %d\n" % (r.getrandbits(32), i) for i in range(16000)))' \
	>"$H/tree/Cisco Secure Client/Umbrella/zz-noise.txt"
"$B/mkbundle" tar.gz "$H/seed-both.tar.gz" "$H/tree"
rm -rf "$H/tree"
for f in "$F/seed-both.zip" "$F/targz.tar.gz" "$H/seed-both.tar.gz"; do
	size=$(wc -c <"$f")
	dd if="$f" of="$H/truncated-$(basename "$f")" bs=1 count=$((size / 2)) 2>/dev/null
done
rm "$H/seed-both.tar.gz"

# Random bytes named .zip (once more under a name that would drive a terminal), and an empty file.
python3 -c 'import random, sys; r = random.Random(1234); sys.stdout.buffer.write(bytes(r.getrandbits(8) for _ in range(65536)))' >"$H/random.zip"
cp "$H/random.zip" "$H/$(printf 'evil\033]0;pwned\007\033[2J.zip')"
: >"$H/empty.zip"

# A directory bundle with a symlink out of the tree in place of the plugin log,
cp -R fixtures/extracted "$H/symlink-dir"
rm "$H/symlink-dir/Cisco Secure Client/Umbrella/cscumbrellaplugin.txt"
ln -s /etc/passwd "$H/symlink-dir/Cisco Secure Client/Umbrella/cscumbrellaplugin.txt"
# and a FIFO, which would block a reader that opened it
mkfifo "$H/symlink-dir/Cisco Secure Client/Umbrella/pipe.txt"

# A rule that backtracks catastrophically, loaded beside the shipped rules, and a log that sets it off.
mkdir -p "$H/rules-backtrack"
cp rules/*.rules "$H/rules-backtrack/"
cat >"$H/rules-backtrack/zz-backtrack.rules" <<'EOF'
rule: hostile.backtrack
title: A pattern that backtracks catastrophically on a long run of a
severity: warning
component: test
files: cscumbrellaplugin.txt
pattern: (a+)+$
test: aaa
EOF

SEED="fixtures/seed-both/Cisco Secure Client/Umbrella" H="$H" F="$F" python3 - <<'PY'
import io, os, random, struct, sys, tarfile, time, zipfile, zlib

H = os.environ["H"]
SEED = os.environ["SEED"]
PFX = "Cisco Secure Client/Umbrella/"


def seed(name):
    with open(os.path.join(SEED, name), "rb") as f:
        return f.read()


PLUGIN = seed("cscumbrellaplugin.txt")
EVENTS = seed("Umbrella.txt")
ORG = seed("OrgInfo.json")
SWG = seed("SWG/SWGConfig.json")


def raw_zip(path, entries):
    """A zip written by hand, so headers can lie. Each entry is a dict: name (bytes), data, and
    optional method, flags, crc, csize, usize (the values the headers claim)."""
    out = bytearray()
    central = bytearray()
    for e in entries:
        name, data = e["name"], e["data"]
        method = e.get("method", 0)
        body = data
        if method == 8 and not e.get("raw"):
            c = zlib.compressobj(6, zlib.DEFLATED, -15)
            body = c.compress(data) + c.flush()
        crc = e.get("crc", zlib.crc32(data) & 0xFFFFFFFF)
        csize = e.get("csize", len(body))
        usize = e.get("usize", len(data))
        flags = e.get("flags", 0)
        off = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flags, method, 0, 0x5821,
                           crc, csize, usize, len(name), 0) + name + body
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 0x031E, 20, flags, method, 0, 0x5821,
                               crc, csize, usize, len(name), 0, 0, 0, 0, 0o100644 << 16, off) + name
    cd_off = len(out)
    out += central
    n = len(entries)
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, n, n, len(central), cd_off, 0)
    with open(os.path.join(H, path), "wb") as f:
        f.write(out)


def good(name, data, **kw):
    d = {"name": (PFX + name).encode(), "data": data, "method": 8}
    d.update(kw)
    return d


def std_zip(path, files, method=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(os.path.join(H, path), "w", method) as z:
        for name, data in files:
            zi = zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0))
            zi.compress_type = method
            z.writestr(zi, data)


# CRC that does not match the plugin log's bytes; the event log beside it is intact.
raw_zip("bad-crc.zip", [good("Umbrella.txt", EVENTS), good("cscumbrellaplugin.txt", PLUGIN, crc=0x12345678),
                        good("OrgInfo.json", ORG)])

# Sizes that lie: a stored entry that claims more bytes than there are, one that claims fewer, and
# a deflated entry whose declared size is far below what it inflates to.
raw_zip("lying-sizes.zip", [
    good("Umbrella.txt", EVENTS),
    good("OrgInfo.json", ORG, method=0, usize=len(ORG) * 1000, csize=len(ORG) * 1000),
    good("cscumbrellaplugin.txt", PLUGIN, usize=100),
    good("SWG/SWGConfig.json", SWG, method=0, usize=10, csize=10),
])

# An encrypted entry (flag bit 0; its bytes are not real ciphertext, which must not matter).
raw_zip("encrypted.zip", [good("Umbrella.txt", EVENTS), good("cscumbrellaplugin.txt", PLUGIN, flags=1),
                          good("OrgInfo.json", ORG)])

# Every entry encrypted (a password-protected upload): its names are a DART bundle's, and nothing
# may call it "not a DART bundle".
raw_zip("all-encrypted.zip", [good("Umbrella.txt", EVENTS, flags=1), good("cscumbrellaplugin.txt", PLUGIN, flags=1),
                              good("OrgInfo.json", ORG, flags=1)])

# An unsupported compression method (99 is WinZip AES; 77 is nothing at all).
raw_zip("bad-method.zip", [good("Umbrella.txt", EVENTS),
                           good("cscumbrellaplugin.txt", PLUGIN, method=77, raw=True),
                           good("OrgInfo.json", ORG, method=99, raw=True)])

# The same name twice, with different contents.
raw_zip("duplicate-names.zip", [good("Umbrella.txt", EVENTS), good("Umbrella.txt", b"nothing here\n"),
                                good("OrgInfo.json", ORG), good("OrgInfo.json", b'{"organizationId": "999"}')])

# Names a terminal or a file system must not trust: ../, control characters (an OSC title and a
# screen clear), CP437 and CP932 bytes without the UTF-8 flag, a bare slash, a long name.
raw_zip("bad-names.zip", [
    {"name": b"../../../../tmp/dartscan-escape/" + PFX.encode() + b"Umbrella.txt", "data": EVENTS, "method": 8},
    {"name": b"/etc/" + PFX.encode() + b"OrgInfo.json", "data": ORG, "method": 8},
    {"name": b"evil\x1b]0;pwned\x07\x1b[2J\r\n.txt", "data": b"x\n", "method": 8},
    {"name": b"Cisco Secure Client/DART/\x82\xa0\x8e\x94-cp437.txt", "data": b"x\n", "method": 8},
    {"name": b"Cisco Secure Client/DART/\x83\x65\x83\x58\x83\x67-cp932.txt", "data": b"x\n", "method": 8},
    {"name": b"A" * 60000, "data": b"x\n", "method": 8},
    {"name": b"Cisco Secure Client/Umbrella\x1b]0;pwned\x07\x1b[2J/cscumbrellaplugin.txt", "data": PLUGIN, "method": 8},
    {"name": b"Cisco Secure Client/\x1b[31mred\x9b2J/secret.txt", "data": b"x\n", "method": 8, "flags": 1},
])

# Names that lead outside the bundle, read all the same (nothing is written anywhere): parent
# components at the start or in the middle, an absolute path, a drive letter, backslashes
# (libarchive's zip reader may turn them into slashes; a tar keeps them). The logs sit under two of
# them, so their findings must still come out; dots inside a component ("a..b") lead nowhere.
raw_zip("outside-names.zip", [
    {"name": b"../../" + PFX.encode() + b"cscumbrellaplugin.txt", "data": PLUGIN, "method": 8},
    {"name": b"/abs/" + PFX.encode() + b"Umbrella.txt", "data": EVENTS, "method": 8},
    {"name": PFX.encode() + b"../../../evil.txt", "data": b"x\n", "method": 8},
    {"name": b"..\\..\\evil2.txt", "data": b"x\n", "method": 8},
    {"name": b"C:\\evil3.txt", "data": b"x\n", "method": 8},
    {"name": PFX.encode() + b"a..b/c..d...txt", "data": b"x\n", "method": 8},
    good("OrgInfo.json", ORG),
])
with tarfile.open(os.path.join(H, "outside-names.tar.gz"), "w:gz", format=tarfile.GNU_FORMAT) as t:
    def add(name, data, kind=tarfile.REGTYPE):
        ti = tarfile.TarInfo(name)
        ti.type, ti.size, ti.mtime = kind, len(data), 1704067200
        t.addfile(ti, io.BytesIO(data))
    add(PFX + "cscumbrellaplugin.txt", PLUGIN)
    add("..\\..\\evil.txt", b"x\n")
    add("C:\\evil.txt", b"x\n")
    add("Cisco Secure Client\\DART\\..\\..\\evil.txt", b"x\n")
    add("../up", b"", tarfile.DIRTYPE)
    add("ok\\a..b.txt", b"x\n")

# A zip cut inside the data of its first entry: the entry is damaged, the archive ends after it.
with zipfile.ZipFile(os.path.join(H, "truncated-one.zip"), "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr(zipfile.ZipInfo(PFX + "cscumbrellaplugin.txt", (2024, 1, 1, 0, 0, 0)), PLUGIN)
    z.writestr(zipfile.ZipInfo(PFX + "OrgInfo.json", (2024, 1, 1, 0, 0, 0)), ORG)
with open(os.path.join(H, "truncated-one.zip"), "r+b") as f:
    f.truncate(os.path.getsize(f.name) // 2)

# Names libarchive cannot decode in the C locale (flagged UTF-8, two of them not UTF-8 at all) and
# one not flagged with a byte that is not UTF-8. All encrypted, so each is listed by name.
raw_zip("names-undecodable.zip", [
    {"name": b"Cisco Secure Client/DART/caf\xe9.txt", "data": b"x\n", "flags": 0x801},
    {"name": b"Cisco Secure Client/DART/na\xefve.txt", "data": b"x\n", "flags": 0x801},
    {"name": b"Cisco Secure Client/DART/caf\xc3\xa9-utf8.txt", "data": b"x\n", "flags": 0x801},
    {"name": b"Cisco Secure Client/DART/raw\xe9.txt", "data": b"x\n", "flags": 1},
    good("Umbrella.txt", EVENTS),
])

# 100,000 entries, each a few bytes.
with zipfile.ZipFile(os.path.join(H, "many-entries.zip"), "w", zipfile.ZIP_STORED) as z:
    for i in range(100000):
        z.writestr(zipfile.ZipInfo("Cisco Secure Client/DART/many/f%06d.txt" % i, (2024, 1, 1, 0, 0, 0)), b"x\n")
    z.writestr(zipfile.ZipInfo(PFX + "Umbrella.txt", (2024, 1, 1, 0, 0, 0)), EVENTS)


def bomb_stream(blocks):
    """Deflate of blocks MiB of zeros: one MiB compressed once and flushed to a byte boundary
    (no back-references across it), then that block repeated: 8 GiB costs nothing to make."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = c.compress(bytes(1 << 20)) + c.flush(zlib.Z_FULL_FLUSH)
    return block, blocks, b"\x03\x00"  # the last: an empty final fixed-Huffman block


def zip64_bomb(path, name, blocks):
    """One deflated entry of blocks MiB of zeros, with zip64 sizes. The CRC is left 0: the reader
    must stop long before it could check it."""
    block, n, tail = bomb_stream(blocks)
    csize = len(block) * n + len(tail)
    usize = n << 20
    nm = name.encode()
    x64 = struct.pack("<HHQQ", 1, 16, usize, csize)
    with open(os.path.join(H, path), "wb") as f:
        f.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 45, 0, 8, 0, 0x5821, 0, 0xFFFFFFFF, 0xFFFFFFFF,
                            len(nm), len(x64)) + nm + x64)
        for _ in range(n):
            f.write(block)
        f.write(tail)
        cd_off = 30 + len(nm) + len(x64) + csize
        cx64 = struct.pack("<HHQQQ", 1, 24, usize, csize, 0)
        cd = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 0x032D, 45, 0, 8, 0, 0x5821, 0, 0xFFFFFFFF,
                         0xFFFFFFFF, len(nm), len(cx64), 0, 0, 0, 0o100644 << 16, 0xFFFFFFFF) + nm + cx64
        f.write(cd)
        eocd64_off = cd_off + len(cd)
        f.write(struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, 1, 1, len(cd), cd_off))
        f.write(struct.pack("<IIQI", 0x07064B50, 0, eocd64_off, 1))
        f.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0))


# 8 GiB of zeros as the plugin log, in about 8 MB.
zip64_bomb("bomb.zip", PFX + "cscumbrellaplugin.txt", 8192)

# The bomb inside a case zip (deflated again, so the outer file is tiny), with a real bundle beside it.
with open(os.path.join(H, "bomb.zip"), "rb") as f:
    inner = f.read()
std_zip("nested-bomb.zip", [("DARTBundle_bomb.zip", inner),
                            ("DARTBundle_good.zip", open(os.path.join(os.environ["F"], "seed-swg.zip"), "rb").read())])

def overlap_zip(path, n, quoted):
    """Entries that share bytes (the "better zip bomb" shapes). full: n names, one local header.
    quoted: entry i's stored data is entry i+1's local header and data, so reading all n reads
    the kernel n times. The kernel: 4 MiB of a plugin line, deflated."""
    line = b"2024-08-27 06:35:00 [7216] [DEBUG] Dns Protection IPv4 State Machine: rejected all candidate resolvers\n"
    plain = line * ((4 << 20) // len(line))
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    kernel = c.compress(plain) + c.flush()
    names = [("%scscumbrellaplugin_%d.txt" % (PFX, i)).encode() for i in range(n)]

    def lfh(nm, method, crc, csize, usize):
        return struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x5821, crc, csize, usize, len(nm), 0) + nm

    ent = [None] * n  # (method, crc, csize, usize, offset)
    if quoted:
        data, ent[n - 1] = kernel, (8, zlib.crc32(plain), len(kernel), len(plain))
        for i in range(n - 2, -1, -1):
            data = lfh(names[i + 1], *ent[i + 1]) + data
            ent[i] = (0, zlib.crc32(data), len(data), len(data))
        body = lfh(names[0], *ent[0]) + data
        offs, off = [], 0
        for i in range(n):
            offs.append(off)
            off += 30 + len(names[i])
    else:
        ent = [(8, zlib.crc32(plain), len(kernel), len(plain))] * n
        body = lfh(names[0], *ent[0]) + kernel
        offs = [0] * n
    cd = b""
    for i in range(n):
        m, crc, cs, us = ent[i]
        cd += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, m, 0, 0x5821, crc, cs, us, len(names[i]),
                          0, 0, 0, 0, 0, offs[i]) + names[i]
    with open(os.path.join(H, path), "wb") as f:
        f.write(body + cd + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, n, n, len(cd), len(body), 0))


overlap_zip("overlap-full.zip", 30, False)
overlap_zip("overlap-quoted.zip", 30, True)

# The same bomb behind a self-extractor's program ("MZ", 64 KiB): libarchive reads a zip from its
# end whatever comes before it, so the stub must not hide the overlap from the check. Offsets left
# counting from the zip's start (a stub put before it: sfx-overlap.exe) and moved to count from the
# file's (as WinZip's self-extractors write them: sfx-overlap-adjusted.exe).
sys.path.insert(0, "tests/tools")
from sfx import sfx  # noqa: E402 -- the self-extractor fixtures use the same stub
bomb = open(os.path.join(H, "overlap-quoted.zip"), "rb").read()
with open(os.path.join(H, "sfx-overlap.exe"), "wb") as f:
    f.write(sfx(bomb, adjust=False))
with open(os.path.join(H, "sfx-overlap-adjusted.exe"), "wb") as f:
    f.write(sfx(bomb))

# 256 bytes of tar.xz whose header asks the decoder for a 1.5 GiB dictionary, allocated up front.
plain = io.BytesIO()
with tarfile.open(fileobj=plain, mode="w") as t:
    ti = tarfile.TarInfo(PFX + "cscumbrellaplugin.txt")
    ti.size, ti.mtime = len(PLUGIN), 1704067200
    t.addfile(ti, io.BytesIO(PLUGIN))
with open(os.path.join(H, "dict-bomb.tar.xz"), "wb") as f:
    import lzma
    f.write(lzma.compress(plain.getvalue(), format=lzma.FORMAT_XZ,
                          filters=[{"id": lzma.FILTER_LZMA2, "dict_size": 1536 << 20}]))

# Three levels: a zip in a zip in a zip (the default depth allows two).
std_zip("depth3-l2.zip", [("DARTBundle.zip", open(os.path.join(os.environ["F"], "seed-swg.zip"), "rb").read())])
std_zip("depth3.zip", [("case/upload.zip", open(os.path.join(H, "depth3-l2.zip"), "rb").read())])
os.unlink(os.path.join(H, "depth3-l2.zip"))

# A 200 MB single line, stored, as the plugin log: written in 1 MiB pieces, never held whole.
with zipfile.ZipFile(os.path.join(H, "long-line.zip"), "w", zipfile.ZIP_STORED) as z:
    z.writestr(zipfile.ZipInfo(PFX + "Umbrella.txt", (2024, 1, 1, 0, 0, 0)), EVENTS)
    with z.open(zipfile.ZipInfo(PFX + "cscumbrellaplugin.txt", (2024, 1, 1, 0, 0, 0)), "w") as w:
        w.write(b"2024-08-27 06:35:00 [7216] [DEBUG] < 12> ")
        piece = b"Dns Protection IPv4 State Machine: rejected all candidate reso " * (1 << 14)
        piece = piece[: 1 << 20]
        for _ in range(200):
            w.write(piece)
        w.write(b"\n")

# NUL-filled logs: 1 MiB of NULs before the real plugin log (a crash leaves them), and a log of
# nothing but NULs.
std_zip("nul-filled.zip", [(PFX + "Umbrella.txt", EVENTS), (PFX + "cscumbrellaplugin.txt", bytes(1 << 20) + PLUGIN),
                           (PFX + "OrgInfo.json", bytes(4096))])

# UTF-16LE with unpaired surrogates inside the matched line and an odd byte count.
lines = EVENTS.decode().replace("\n", "\r\n")
u16 = b"\xff\xfe" + lines.encode("utf-16-le")
warn = "TCP handshake to SWG Proxy URL".encode("utf-16-le")
i = u16.index(warn)
u16 = u16[:i] + b"\x00\xd8" + u16[i:]           # a high surrogate with no low one after it
u16 = u16.replace(b"S\x00i\x00n\x00c\x00e\x00", b"\x00\xdcS\x00i\x00n\x00c\x00e\x00", 3)  # lone lows
u16 += b"\x41"                                  # odd length
std_zip("utf16-broken.zip", [(PFX + "Umbrella.txt", u16), (PFX + "OrgInfo.json", ORG)])

# A matched log line carrying terminal escape sequences (window title, screen clear, C1 CSI).
evil = EVENTS.replace(b"TCP handshake to SWG Proxy URL was not successful.",
                      b"TCP handshake to SWG Proxy URL was not successful \x1b]0;pwned\x07\x1b[2J\xc2\x9b31m.")
std_zip("ansi.zip", [(PFX + "Umbrella.txt", evil), (PFX + "OrgInfo.json", ORG)])

# The log that sets off the backtracking rule: 50,000 'a' and a 'b', between real lines.
k = PLUGIN.index(b"\n", 2000) + 1
std_zip("backtrack.zip", [(PFX + "cscumbrellaplugin.txt", PLUGIN[:k] + b"a" * 50000 + b"b\n" + PLUGIN[k:]),
                          (PFX + "OrgInfo.json", ORG)])
# A match every 301 s, so each one would start a run of its own: 200,000 runs unless capped.
with zipfile.ZipFile(os.path.join(H, "many-runs.zip"), "w", zipfile.ZIP_DEFLATED) as z:
    with z.open(PFX + "cscumbrellaplugin.txt", "w") as w:
        t = 946684800  # 2000-01-01
        for i in range(200000):
            w.write(b"%s [7216] [DEBUG] < 12> Dns Protection IPv4 State Machine: rejected all candidate reso\n"
                    % time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(t + 301 * i)).encode())
PY
