#!/usr/bin/python3
"""Writes tests/unit/vectors/lunar_vectors.tsv from swetest (Debian's `swetest` package, the same
libswe 2.10.03 as the bot) alone, so the lunar calendar's unit tests check the bot against an
independent computation. Run from the repository root:  python3 tests/unit/vectors/make_lunar_vectors.py

Lines (tab-separated; JD = Julian day UT, minute vectors rounded down to the whole minute):
  phase    JD  moon_longitude  sun_longitude  illuminated_fraction
  newmoon  JD_minute                      first minute with the Moon's longitude past the Sun's
  fullmoon JD_minute                      first minute with an elongation past 180°
  firstquarter, lastquarter JD_minute     the same past 90° and 270°
  ingress  JD_minute  sign                first minute with the Moon in `sign` (0 = Aries)
  aspect   JD_minute  planet  angle       first minute past an exact Moon–planet major aspect
                                          (elongation Moon − planet crossing angle, 0..300)
  rise     place  latitude  longitude  JD  the moonrises of the window at the place (swetest -rise);
                                          `-` for a day swetest reports without a rise
  eclipse  solar|lunar  JD  kind          the first eclipse of each kind in the window (greatest)
"""
import re
import subprocess

START = (25, 2, 2025)  # the window: 40 days from 25.02.2025 00:00 UT (March 2025: a total lunar
DAYS = 40              # eclipse on the 14th, a partial solar one on the 29th)
PLANETS = "0123456789"
ANGLES = [0, 60, 90, 120, 180, 240, 270, 300]
PLACES = [("moscow", 55.7558, 37.6173), ("longyearbyen", 78.2232, 15.6267)]


def swetest(*args):
    out = subprocess.run(["swetest", *args, "-head"], capture_output=True, text=True, check=True)
    return [line for line in out.stdout.splitlines() if line.strip()]


def scan(bodies, jd, step, count):
    """{jd: {body_index: longitude}} from one swetest call with a fixed step."""
    rows = {}
    minutes = int(step[:-1])
    chunk = 30000 // len(bodies)  # swetest prints at most 36,525 lines per call
    for first in range(0, count, chunk):
        start = jd + first * minutes / 1440.0
        n = min(chunk, count - first)
        for line in swetest(f"-bj{start:.8f}", "-ut", f"-p{bodies}", "-fJpl", f"-s{step}", f"-n{n}"):
            j, p, lon = line.split()
            rows.setdefault(round(float(j), 5), {})[int(p)] = float(lon)
    return dict(sorted(rows.items()))


def first_minute(body_a, body_b, jd_from, predicate):
    """The first whole minute after jd_from (within 11 minutes) where predicate(lon_a, lon_b)."""
    rows = scan(body_a + body_b, jd_from, "1m", 12)
    for j, lons in rows.items():
        if predicate(lons[int(body_a)], lons[int(body_b)] if body_b else None):
            return j
    raise RuntimeError(f"no crossing after {jd_from}")


def elong(a, b):
    return (a - b) % 360.0


def crossed(d0, d1, angle):
    """Whether a forward-moving elongation went from d0 to d1 over `angle` (d1 ≥ angle > d0)."""
    k = (angle - d0) % 360.0
    return 0 < k <= (d1 - d0) % 360.0 and (d1 - d0) % 360.0 < 90


def main():
    jd0 = float(swetest(f"-b{START[0]}.{START[1]}.{START[2]}", "-ut0:00", "-p0", "-fJ")[0])
    out = []
    for i in range(0, DAYS, 3):  # phases every 3 days at 12:00 UT
        jd = jd0 + i + 0.5
        moon = swetest(f"-bj{jd}", "-ut", "-p1", "-fl-")[0].split()
        sun = swetest(f"-bj{jd}", "-ut", "-p0", "-fl")[0].split()
        out.append(f"phase\t{jd:.6f}\t{moon[0]}\t{sun[0]}\t{moon[1]}")
    step_min = 10
    rows = list(scan(PLANETS, jd0, f"{step_min}m", DAYS * 24 * 60 // step_min).items())
    for (j0, a), (j1, b) in zip(rows, rows[1:]):
        if crossed(elong(a[1], a[0]), elong(b[1], b[0]), 0):
            m = first_minute("1", "0", j0, lambda m, s: elong(m, s) < 90)
            out.append(f"newmoon\t{m:.8f}")
        if crossed(elong(a[1], a[0]), elong(b[1], b[0]), 180):
            m = first_minute("1", "0", j0, lambda m, s: elong(m, s) >= 180)
            out.append(f"fullmoon\t{m:.8f}")
        for angle, kind in ((90, "firstquarter"), (270, "lastquarter")):
            if crossed(elong(a[1], a[0]), elong(b[1], b[0]), angle):
                m = first_minute("1", "0", j0, lambda m, s, a=angle: a <= elong(m, s) < a + 90)
                out.append(f"{kind}\t{m:.8f}")
        if int(a[1] // 30) != int(b[1] // 30):
            sign = int(b[1] // 30)
            m = first_minute("1", "", j0, lambda m, _: int(m // 30) == sign)
            out.append(f"ingress\t{m:.8f}\t{sign}")
        for p in "023456789":
            q = int(p)
            for angle in ANGLES:
                if crossed(elong(a[1], a[q]), elong(b[1], b[q]), angle):
                    if angle == 0:
                        pred = lambda m, x: elong(m, x) < 90
                    else:
                        pred = lambda m, x, angle=angle: angle <= elong(m, x) < angle + 90
                    m = first_minute("1", p, j0, pred)
                    out.append(f"aspect\t{m:.8f}\t{q}\t{angle}")
    for name, lat, lon in PLACES:
        lines = swetest(f"-bj{jd0}", "-ut", "-p1", "-rise", f"-geopos{lon},{lat},0", f"-n{DAYS}")
        for line in lines:
            m = re.match(r"rise\s+(\d+)\.(\d+)\.(\d+)\s+(\d+):(\d+):([\d.]+)", line)
            if not m:
                if line.startswith("rise") and re.match(r"rise\s+-", line):
                    out.append(f"rise\t{name}\t{lat}\t{lon}\t-")
                continue
            d, mo, y, hh, mm, ss = m.groups()
            jd = float(swetest(f"-b{d}.{mo}.{y}", f"-ut{hh}:{mm}:{ss}", "-p0", "-fJ")[0])
            out.append(f"rise\t{name}\t{lat}\t{lon}\t{jd:.8f}")
    for option, name in (("-solecl", "solar"), ("-lunecl", "lunar")):
        line = swetest(f"-bj{jd0}", "-ut", option, "-n1")[0]
        m = re.match(r"(\w+) .*?(\d+)\.(\d+)\.(\d+)\s+(\d+):(\d+):([\d.]+)", line)
        kind, d, mo, y, hh, mm, ss = m.groups()
        jd = float(swetest(f"-b{d}.{mo}.{y}", f"-ut{hh}:{mm}:{ss}", "-p0", "-fJ")[0])
        out.append(f"eclipse\t{name}\t{jd:.8f}\t{kind}")
    with open("tests/unit/vectors/lunar_vectors.tsv", "w") as f:
        f.write("# Generated by tests/unit/vectors/make_lunar_vectors.py from swetest; do not edit.\n")
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
