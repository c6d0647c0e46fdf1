#!/usr/bin/env python3
"""Writes the clock fixtures' text trees (fixtures/dst-*, ntp-step, year-change, half-hour-zone,
week-of-outages, old-product-folder): a DNS outage written through a clock's jump, as a Windows
client writes it (local wall time, no zone). An authoring aid: the trees are committed and reviewed
as text; the build never runs this. Run from the top of the tree."""
import datetime as dt
import os
import shutil
from zoneinfo import ZoneInfo

SRC = "fixtures/recovered/Cisco Secure Client/Umbrella"
SYSINFO = "fixtures/seed-dns/Cisco Secure Client/DART/systeminfo.txt"
REJ4 = "[2776] [DEBUG] < 12> Dns Protection IPv4 State Machine: rejected all candidate reso"
CHK4 = "[2776] [DEBUG] < 12> Dns Protection IPv4 State Machine: checking reachability of pr"
PRB4 = "[2776] [DEBUG] < 12> Dns Protection IPv4 State Machine: probing for OpenDNS resolve"
QUIET = ["[2776] [DEBUG] < 16> Sending status update to UI", "[2776] [DEBUG] < 21> Timer fired: sync check",
         "[2776] [DEBUG] < 21> Sync check complete, no changes", "[2776] [DEBUG] < 14> Interface list unchanged"]


class Clock:
    """True time (UTC) and the wall clock the client writes: its zone's, moved by any NTP step."""

    def __init__(self, zone, wall_start):
        self.zone = ZoneInfo(zone)
        self.t = wall_start.replace(tzinfo=self.zone).astimezone(dt.timezone.utc)
        self.ntp = dt.timedelta(0)

    @property
    def wall(self):
        return (self.t + self.ntp).astimezone(self.zone).replace(tzinfo=None)

    def tick(self, seconds):
        self.t += dt.timedelta(seconds=seconds)


def fmt(t):
    return t.strftime("%Y-%m-%d %H:%M:%S")


def event(t, desc, source="csc_umbrellaagent"):
    return (f"Date        : {t.strftime('%m/%d/%Y')}\nTime        : {t.strftime('%H:%M:%S')}\n"
            f"Type        : Information\nSource      : {source}\n\nDescription : {desc}\n\n")


def write_case(name, zone, plugin, events, collected, folder="Cisco Secure Client", fresh=True):
    top = f"fixtures/{name}"
    if fresh:
        shutil.rmtree(top, ignore_errors=True)
    um = f"{top}/{folder}/Umbrella"
    os.makedirs(f"{um}/SWG")
    os.makedirs(f"{top}/{folder}/DART")
    shutil.copy(f"{SRC}/OrgInfo.json", um)
    shutil.copy(f"{SRC}/SWG/SWGConfig.json", f"{um}/SWG")
    with open(SYSINFO) as f:
        si = f.read()
    si = "\n".join(("Time Zone:                 " + zone) if l.startswith("Time Zone:") else l
                   for l in si.split("\n"))
    with open(f"{top}/{folder}/DART/systeminfo.txt", "w") as f:
        f.write(si)
    with open(f"{um}/cscumbrellaplugin.txt", "w") as f:
        f.write("".join(f"{fmt(t)} {line}\n" for t, line in plugin))
    with open(f"{um}/Umbrella.txt", "w") as f:
        f.write("".join(event(*e) for e in events))
    with open(f"{top}/.mtime", "w") as f:
        f.write(fmt(collected) + "\n")


def outage(clk, plugin, events, seconds, step=10, ntp_at=None, ntp=0):
    """IPv4 rejected every step seconds for seconds of true time; ntp: the clock stepped by that
    many seconds ntp_at seconds in."""
    events.append((clk.wall + dt.timedelta(seconds=6), "IPv4 DNS redirection: DEACTIVATED"))
    for n in range(0, seconds, step):
        if ntp_at is not None and n >= ntp_at and clk.ntp == dt.timedelta(0):
            clk.ntp = dt.timedelta(seconds=ntp)
        for line in (REJ4, CHK4, PRB4):
            plugin.append((clk.wall, line))
        clk.tick(step)


def quiet(clk, plugin, until_wall, every=97):
    """Healthy chatter until the wall clock reads until_wall (its first pass)."""
    i = 0
    while clk.wall < until_wall:
        plugin.append((clk.wall, QUIET[i % len(QUIET)]))
        i += 1
        clk.tick(min(every, max(1, (until_wall - clk.wall).total_seconds())))


def start(clk, plugin, events):
    plugin.append((clk.wall, "[2776] [INFO] < 10> Plugin started"))
    plugin.append((clk.wall, "[2776] [INFO] < 10> Plugin version 5.1.4.74"))
    events.append((clk.wall, "Umbrella agent service started."))
    events.append((clk.wall + dt.timedelta(seconds=8), "IPv4 DNS redirection: ACTIVATED"))
    events.append((clk.wall + dt.timedelta(seconds=8), "IPv6 DNS redirection: ACTIVATED"))
    events.append((clk.wall + dt.timedelta(seconds=12), 'TRACE | Thread 1a2c | CSWGAgent: State cjson object is '
                   '{"version":1,"swg_protection_state":"protected"}', "csc_swgagent"))
    clk.tick(20)


def recover(clk, plugin, events):
    events.append((clk.wall, "IPv4 DNS redirection: ACTIVATED"))
    plugin.append((clk.wall, "[2776] [DEBUG] < 16> Sending status update to UI"))
    clk.tick(30)


def clock_case(name, zone_display, zone, begin, fail_wall, fail_min, ongoing, ntp_at=None, ntp=0):
    clk, plugin, events = Clock(zone, begin), [], []
    start(clk, plugin, events)
    quiet(clk, plugin, fail_wall)
    outage(clk, plugin, events, fail_min * 60, ntp_at=ntp_at, ntp=ntp)
    if not ongoing:
        recover(clk, plugin, events)
        quiet(clk, plugin, clk.wall + dt.timedelta(minutes=15))
    write_case(name, zone_display, plugin, events, clk.wall + dt.timedelta(seconds=90))


def week_case():
    """21 short outages over a week (Mon 2024-09-02 .. Sun 09-08), 6 to 7 minutes each, recovered;
    the last one ongoing at the end."""
    clk, plugin, events = Clock("Europe/Berlin", dt.datetime(2024, 9, 2, 8, 0)), [], []
    start(clk, plugin, events)
    n = 0
    for day in range(7):
        for hour in (9, 13, 17):
            n += 1
            quiet(clk, plugin, dt.datetime(2024, 9, 2 + day, hour, 5 * (n % 4)), every=600)
            outage(clk, plugin, events, (6 * 60 + 10 * (n % 5)) if n < 21 else 9 * 60)
            if n < 21:
                recover(clk, plugin, events)
    write_case("week-of-outages", "(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna", plugin, events,
               clk.wall + dt.timedelta(seconds=90))


def old_folder_case():
    """An AnyConnect 4 folder left from a year before (its plugin log ends mid-outage, 2023-05-14)
    next to the current Secure Client 5 folder, healthy (2024-09-01)."""
    berlin = "(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna"
    clk, plugin, events = Clock("Europe/Berlin", dt.datetime(2023, 5, 14, 14, 0)), [], []
    start(clk, plugin, events)
    quiet(clk, plugin, dt.datetime(2023, 5, 14, 14, 20))
    outage(clk, plugin, events, 30 * 60)
    write_case("old-product-folder", berlin, plugin, events, clk.wall, folder="Cisco AnyConnect Secure Mobility Client")
    clk, plugin, events = Clock("Europe/Berlin", dt.datetime(2024, 9, 1, 9, 0)), [], []
    start(clk, plugin, events)
    quiet(clk, plugin, dt.datetime(2024, 9, 1, 10, 0))
    write_case("old-product-folder", berlin, plugin, events, clk.wall + dt.timedelta(seconds=90), fresh=False)


def main():
    old_folder_case()
    week_case()
    d = dt.datetime
    # Kolkata, UTC+05:30 all year: a 25-minute outage, read with --utc.
    clock_case("half-hour-zone", "(UTC+05:30) Chennai, Kolkata, Mumbai, New Delhi", "Asia/Kolkata",
               d(2024, 11, 5, 8, 30), d(2024, 11, 5, 9, 10), 25, False)
    # Berlin, New Year's Eve: failing from 23:50 for 20 minutes, into 2025 in both logs.
    clock_case("year-change", "(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna", "Europe/Berlin",
               d(2024, 12, 31, 23, 0), d(2024, 12, 31, 23, 50), 20, False)
    berlin = "(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna"
    sydney = "(UTC+10:00) Canberra, Melbourne, Sydney"
    # Berlin, 2024-10-27: 03:00 CEST goes back to 02:00 CET. Failing from 02:20 (the first pass) for
    # 90 minutes, ongoing at the end (02:50 CET).
    clock_case("dst-fall-eu", berlin, "Europe/Berlin", d(2024, 10, 27, 1, 30), d(2024, 10, 27, 2, 20), 90, True)
    # Berlin, 2024-03-31: 02:00 CET goes to 03:00 CEST. Failing from 01:40 for 40 minutes, recovered.
    clock_case("dst-spring-eu", berlin, "Europe/Berlin", d(2024, 3, 31, 1, 0), d(2024, 3, 31, 1, 40), 40, False)
    # Sydney, 2024-04-07: 03:00 AEDT goes back to 02:00 AEST. Failing from 02:30 for 60 minutes.
    clock_case("dst-fall-au", sydney, "Australia/Sydney", d(2024, 4, 7, 1, 45), d(2024, 4, 7, 2, 30), 60, False)
    # Sydney, 2024-10-06: 02:00 AEST goes to 03:00 AEDT. Failing from 01:40 for 40 minutes, ongoing.
    clock_case("dst-spring-au", sydney, "Australia/Sydney", d(2024, 10, 6, 1, 0), d(2024, 10, 6, 1, 40), 40, True)
    # Berlin, 2024-06-12: NTP steps the clock back 90 s ten minutes into a 20-minute outage.
    clock_case("ntp-step", berlin, "Europe/Berlin", d(2024, 6, 12, 9, 30), d(2024, 6, 12, 10, 0), 20, False,
               ntp_at=600, ntp=-90)


if __name__ == "__main__":
    main()
