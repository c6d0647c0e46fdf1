#!/usr/bin/env python3
"""Checks for the HTML report (tests/suites/html.sh), standard library only.

  htmlcheck.py safe FILE      no active content or network loads; valid UTF-8; no control bytes
  htmlcheck.py anchors FILE   every in-page link (#id) has its target
  htmlcheck.py count FILE     "svg=N seg=N marker=N tick=N incident=N" (also on a browser's DOM dump)
  htmlcheck.py png FILE       "WxH colours=N green=0|1 red=0|1": decodes the PNG itself (zlib)
  htmlcheck.py page FILE      what a reader of the page sees, one "key: value" line each (on the
                              page or a browser's DOM dump): each bundle's heading ("h2"), its
                              Findings heading and the cards under it ("findings: N cards: N"),
                              empty elements that draw a box ("empty: N"), each card's title and
                              lanes ("card: TITLE [LANES]"), each next step ("next: TEXT") and each
                              section heading ("h3")

Prints "ok" or what is wrong; exits 1 when wrong."""
import re
import struct
import sys
import zlib
from html.parser import HTMLParser

FORBIDDEN_TAGS = {"script", "img", "link", "iframe", "object", "embed", "base", "frame", "audio",
                  "video", "source", "image", "use", "foreignobject", "form", "input", "meta-refresh"}


class Walk(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []  # (tag, attrs dict)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def parse(path):
    raw = open(path, "rb").read()
    w = Walk()
    w.feed(raw.decode("utf-8", errors="replace"))
    return raw, w.tags


def classes(attrs):
    return set((attrs.get("class") or "").split())


def safe(path):
    raw, tags = parse(path)
    bad = []
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as e:
        bad.append("not UTF-8: %s" % e)
    ctl = re.findall(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\xc2[\x80-\x9f]", raw)
    if ctl:
        bad.append("control bytes: %r" % ctl[:5])
    csp = [a.get("content", "") for t, a in tags
           if t == "meta" and (a.get("http-equiv") or "").lower() == "content-security-policy"]
    if not csp or "default-src 'none'" not in csp[0]:
        bad.append("no CSP with default-src 'none'")
    for t, a in tags:
        if t in FORBIDDEN_TAGS:
            bad.append("<%s> element" % t)
        for k, v in a.items():
            if k.startswith("on"):
                bad.append("<%s %s=> event handler" % (t, k))
            if k in ("src", "srcset", "xlink:href", "background", "poster", "data", "action"):
                bad.append("<%s %s=%r> loads something" % (t, k, v))
            if k == "href" and v is not None:
                if t != "a":
                    bad.append("<%s href> outside a link" % t)
                elif not (v.startswith("#") or v.startswith("https://") or v.startswith("http://")):
                    bad.append("<a href=%r> not an anchor or web link" % v)
            if k == "style" and v and re.search(r"url\s*\(", v, re.I):
                bad.append("style with url()")
    if re.search(rb"url\s*\(|@import", raw, re.I):
        bad.append("CSS url() or @import")
    return bad


def anchors(path):
    _, tags = parse(path)
    ids = {a.get("id") for _, a in tags if a.get("id")}
    return ["link to missing #%s" % a["href"][1:] for t, a in tags
            if t == "a" and (a.get("href") or "").startswith("#") and a["href"][1:] not in ids]


def count(path):
    _, tags = parse(path)
    n = {"svg": 0, "seg": 0, "marker": 0, "tick": 0, "incident": 0}
    for t, a in tags:
        c = classes(a)
        if t == "svg" and "timeline" in c:
            n["svg"] += 1
        elif t == "rect" and "seg" in c:
            n["seg"] += 1
        elif t == "a" and "marker" in c:
            n["marker"] += 1
        elif t == "text" and "tick" in c:
            n["tick"] += 1
        elif t == "rect" and "incident" in c:
            n["incident"] += 1
    return " ".join("%s=%d" % kv for kv in n.items())


class Page(HTMLParser):
    """The text of the elements a reader looks at, and the boxes drawn around nothing."""
    BOXED = {"comp", "badge", "status", "fs"}  # classes styled with a border or a background

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out, self.stack, self.cards, self.lanes = [], [], 0, []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.stack.append([tag, classes(a), ""])
        if tag == "article" and "finding" in classes(a):
            self.cards += 1
            self.lanes = []

    def handle_data(self, data):
        for e in self.stack:
            e[2] += data

    def handle_endtag(self, tag):
        while self.stack:
            t, c, text = self.stack.pop()
            text = " ".join(text.split())
            if t == "span" and c & self.BOXED and not text:
                self.out.append("empty: span." + ".".join(sorted(c)))
            elif t == "span" and "comp" in c:
                self.lanes.append(text)
            elif t in ("h2", "h3"):
                if t == "h2" or not text.startswith("Findings ("):
                    self.out.append("%s: %s" % (t, text))
                else:
                    self.out.append("findings: " + text[len("Findings ("):].rstrip(")"))
                    self.cards = 0
            elif t == "h4":
                self.title = text
            elif t == "header" and "page" not in c and hasattr(self, "title"):
                self.out.append("card: %s [%s]" % (self.title, ", ".join(self.lanes)))
            elif t == "li" and self.stack and self.stack[-1][0] == "ol":
                self.out.append("next: " + text)
            elif t == "section":
                self.out.append("cards: %d" % self.cards)
            if t == tag:
                break


def page(path):
    p = Page()
    p.feed(open(path, "rb").read().decode("utf-8", errors="replace"))
    return "\n".join(p.out)


def png_pixels(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, w = 8, b"", None
    while pos < len(data):
        ln, typ = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + ln]
        if typ == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or ctype not in (2, 6) or interlace:
                raise ValueError("unsupported PNG (depth %d, type %d)" % (depth, ctype))
            bpp = 3 if ctype == 2 else 4
        elif typ == b"IDAT":
            idat += body
        pos += 12 + ln
    raw = zlib.decompress(idat)
    stride = w * bpp
    prev = bytearray(stride)
    rows = []
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, bpp, rows


def png(path):
    w, h, bpp, rows = png_pixels(path)
    colours = set()
    for y in range(0, h, 2):
        r = rows[y]
        for x in range(0, w, 2):
            colours.add(r[x * bpp:x * bpp + 3])

    def near(rgb):
        return any(all(abs(c[i] - rgb[i]) <= 8 for i in range(3)) for c in colours)
    # the report's protected green (#2e9e5b) and unprotected red (#d64545)
    return "%dx%d colours=%d green=%d red=%d" % (w, h, len(colours), near((0x2e, 0x9e, 0x5b)),
                                                 near((0xd6, 0x45, 0x45)))


def main():
    cmd, path = sys.argv[1], sys.argv[2]
    if cmd in ("safe", "anchors"):
        bad = safe(path) if cmd == "safe" else anchors(path)
        print("ok" if not bad else "; ".join(bad[:6]))
        return 1 if bad else 0
    if cmd == "page":
        print(page(path))
        return 0
    print(count(path) if cmd == "count" else png(path))
    return 0


if __name__ == "__main__":
    sys.exit(main())
