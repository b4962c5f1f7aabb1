"""Write the example letters under docs/letters/: text, and a PNG of the HTML page seen in
headless Chromium, for each kind of child and each kind of letter, so a council can see them
without running anything. With --pdf, also print each page to PDF and report its A4 pages.

    python tools/example_letters.py            # text + HTML + PNG
    python tools/example_letters.py --pdf      # and PDF page counts (PDFs left in /tmp)
    python tools/example_letters.py --print    # where the summary and rights fall on A4

Needs Debian's chromium (apt-get install chromium) for the pictures; --print also needs
selenium (pip install selenium) and chromium-driver, to emulate print media.

"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import ras

ROOT = Path(__file__).resolve().parents[1]
OUT = Path(os.environ.get("RAS_LETTERS_OUT", ROOT / "docs" / "letters"))
SCHEMES = ROOT / "scoring_schemes"
DETAILS = {"child": "Amir Khan", "reference": "EHC/2026/0142", "date": dt.date(2026, 9, 1),
           "school": "Northshire Primary School"}
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--hide-scrollbars", "--force-device-scale-factor=1"]


def level(scheme: ras.Scheme, k: int) -> dict[str, str]:
    """Every question at option k (or its last)."""
    return {q: o[min(k, len(o) - 1)] for q, o in scheme.option_ids.items()}


def mixed(scheme: ras.Scheme, ks: list[int]) -> dict[str, str]:
    return {q: o[min(ks[i % len(ks)], len(o) - 1)]
            for i, (q, o) in enumerate(scheme.option_ids.items())}


def letters() -> dict[str, ras.Letter]:
    northshire = ras.load_scheme(SCHEMES / "points_rate.yaml")
    eastborough = ras.load_scheme(SCHEMES / "banded_referral.yaml")
    out: dict[str, ras.Letter] = {}
    amir = northshire.calculate(level(northshire, 1), setting="mainstream")
    out["budget-typical"] = amir.letter(**DETAILS)
    out["budget-low"] = northshire.calculate(mixed(northshire, [1, 0, 0]),
                                             setting="mainstream").letter(**DETAILS)
    out["budget-capped"] = northshire.calculate(level(northshire, 3),
                                                setting="mainstream").letter(**DETAILS)
    out["budget-zero-top-up"] = northshire.calculate(mixed(northshire, [1, 0]),
                                                     setting="mainstream").letter(**DETAILS)
    out["budget-special-school"] = northshire.calculate(
        level(northshire, 1), setting="special").letter(**{**DETAILS,
                                                          "school": "Northshire Park School"})
    out["budget-referred"] = eastborough.calculate(level(eastborough, 4),
                                                   setting="mainstream").letter(**DETAILS)
    decision = amir.decide(3600, reason="Amir needs an adult with him at lunch and break "
                           "times. The plan adds this help.", decided_by="SEN panel",
                           decided_on=dt.date(2026, 9, 10))
    out["decision"] = decision.letter(**DETAILS)
    try:
        ras.Plan([{"description": "Swimming lessons with a helper", "stream": "education",
                   "cost": 900, "delivery": "direct_payment", "on_premises": True,
                   "consent": False}])
    except ras.PlanError as error:
        out["refusal"] = ras.refusal_letter(error, northshire, **DETAILS)
    plan = ras.Plan([
        {"description": "Teaching assistant in class", "stream": "education",
         "hours_per_week": 10, "weeks": 38, "hourly_rate": 14.5, "delivery": "arrangement",
         "delivered_by": "setting", "on_premises": True},
        {"description": "Speech and language therapy", "stream": "education", "cost": 2400,
         "delivery": "direct_payment", "on_premises": True, "consent": True},
        {"description": "Short breaks", "stream": "social_care", "cost": 1300,
         "delivery": "third_party"},
    ])
    final = plan.personal_budget(northshire, "mainstream", indicative=amir)
    out["personal-budget"] = final.letter(**DETAILS)
    # a version 2 scheme with the council's own words (its letter block), levels, descriptions
    ashcombe = ras.load_scheme(SCHEMES / "highest_need_banding.yaml")
    answers = {q: o[min(3, len(o) - 1)] for q, o in ashcombe.option_ids.items()}
    out["budget-council-words"] = ashcombe.calculate(answers, setting="mainstream").letter(
        **{**DETAILS, "school": "Ashcombe Primary School"})
    return out


def chromium(*args: str) -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        raise SystemExit("needs chromium: apt-get install chromium")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([browser, *FLAGS, f"--user-data-dir={profile}", *args], check=True,
                       capture_output=True, timeout=120)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    pdf = "--pdf" in sys.argv
    work = Path(tempfile.mkdtemp(prefix="ras-letters-"))
    for name, letter in letters().items():
        (OUT / f"{name}.txt").write_text(letter.to_text(), encoding="utf-8")
        page = work / f"{name}.html"
        page.write_text(letter.to_html(document=True), encoding="utf-8")
        chromium(f"--screenshot={OUT / (name + '.png')}", "--window-size=820,2200",
                 page.as_uri())
        if name == "budget-typical":
            chromium(f"--screenshot={OUT / (name + '-400px.png')}", "--window-size=400,2600",
                     page.as_uri())
        if pdf:
            target = work / f"{name}.pdf"
            chromium(f"--print-to-pdf={target}", "--no-pdf-header-footer", page.as_uri())
            pages = len(re.findall(rb"/Type\s*/Page[^s]", target.read_bytes()))
            print(f"{name}: {pages} A4 page(s), {target}")
    if "--print" in sys.argv:
        print_check(sorted(work.glob("*.html")))
    print(f"wrote {OUT}; HTML and PDF in {work}")


def print_check(pages: list[Path]) -> None:
    """Where the summary and rights fall when printed: print media emulated at A4's content
    width (210 mm less 2 x 16 mm margins = 673 px at 96 dpi); the first page holds 297 - 16 -
    18 = 263 mm = 994 px of content."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for flag in [*FLAGS, f"--user-data-dir={tempfile.mkdtemp()}"]:
        options.add_argument(flag)
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    try:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": 673, "height": 994, "deviceScaleFactor": 1, "mobile": False})
        for page in pages:
            driver.get(page.as_uri())
            bottoms = driver.execute_script(
                "return ['.summary', '.rights', '.next_steps'].map(s => {"
                " const e = document.querySelector(s);"
                " return e ? Math.round(e.getBoundingClientRect().bottom) : 0; });")
            last = max(bottoms)
            where = "first page" if last <= 994 else "runs onto page 2"
            print(f"{page.stem}: summary, rights and next steps end at {last} px of 994: "
                  f"{where}")
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
