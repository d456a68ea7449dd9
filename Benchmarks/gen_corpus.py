#!/usr/bin/env python3
"""lede's benchmark corpus: N reproducible explainer articles in Markdown.

usage: gen_corpus.py SITE_DIR N [--seed S]

Writes SITE_DIR/content/explainer-NNNNN.md (and content/_index.md). Every
article is a plausible explainer of about 9 KB that exercises what lede does
per page: YAML front matter (title, date, tags, summary), four to six ##
sections (some with ### subsections), dated sentences in many forms ("on
July 16, 2018", "16 July 2018", "2018-07-16", "in March 2001", "in 1999",
"between May and July 2002", relative dates), bulleted and numbered lists,
links, emphasis, code spans, block quotes, a GitHub alert callout on some
pages, and a "Key takeaways" section (a list or "First, ... Second, ..."
sentences).

Only CommonMark and YAML front matter are used, so Hugo (or any generator that
reads YAML front matter) builds the same files: the benchmark compares like
with like. Output is a pure function of N and the seed.
"""
import os
import random
import sys

MONTHS = ["January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December"]
SUBJECTS = ["the delegates", "the ministers", "the regional assembly", "both governments",
            "the negotiators", "the central bank", "a parliamentary committee", "the senate",
            "the supreme court", "the ruling coalition", "the dockworkers' union", "independent monitors",
            "the mayor", "the opposition", "the trade commission", "the inspectors"]
ACTIONS = ["met in", "signed a framework agreement in", "announced emergency measures in",
           "resumed negotiations in", "released an interim report in", "approved the budget in",
           "launched an investigation in", "agreed a ceasefire in", "walked out of talks in",
           "opened a consulate in", "held a referendum in", "lifted restrictions in"]
CITIES = ["Lisbon", "Tallinn", "Montreal", "Accra", "Busan", "Valparaíso", "Kraków", "Da Nang",
          "Rotterdam", "Tbilisi", "Cork", "Mombasa", "Izmir", "Porto Alegre", "Tromsø", "Kyoto"]
THEMES = ["fisheries", "railways", "water rights", "pensions", "broadband", "tariffs", "housing",
          "wildfires", "vaccines", "shipping", "elections", "mining", "drought", "tourism"]
PROSE = [
    "Few people expected the process to move quickly, and it did not.",
    "Officials on both sides described the atmosphere as cautious but constructive.",
    "Local newspapers covered every twist, often with more heat than light.",
    "The underlying disagreement was older than any of the people in the room.",
    "Much of the real work happened in side meetings that were never minuted.",
    "Business groups lobbied hard, though mostly out of public view.",
    "Even supporters admitted that the timetable was optimistic.",
    "The numbers involved were large enough to matter to national budgets.",
    "Public opinion shifted slowly, and not always in the same direction.",
    "Several earlier attempts had collapsed over much smaller questions.",
]
ORDINALS = ["First", "Second", "Third", "Fourth", "Fifth"]
ALERTS = ["NOTE", "TIP", "IMPORTANT", "WARNING"]


def when(rng, year):
    m = rng.randrange(12)
    d = rng.randint(1, 28)
    form = rng.randrange(10)
    return [
        f"on {MONTHS[m]} {d}, {year}",
        f"on {d} {MONTHS[m]} {year}",
        f"on {year}-{m + 1:02d}-{d:02d}",
        f"in {MONTHS[m]} {year}",
        f"in {year}",
        f"in late {MONTHS[m]} {year}",
        f"between {MONTHS[m]} and {MONTHS[(m + 3) % 12]} {year}",
        f"from {year} to {year + rng.randint(1, 4)}",
        "three days later",
        "the next spring",
    ][form]


def event(rng, year):
    phrase = when(rng, year)
    return (f"{phrase[0].upper()}{phrase[1:]}, {rng.choice(SUBJECTS)} {rng.choice(ACTIONS)} "
            f"{rng.choice(CITIES)} over {rng.choice(THEMES)}.")


def paragraph(rng, year, theme, i):
    sentences = [event(rng, year)] + rng.sample(PROSE, 3)
    sentences.insert(rng.randint(1, 3),
                     f"The [{theme} file](https://example.org/files/{theme.replace(' ', '-')}/{i}) and the "
                     f"`{theme.replace(' ', '-')}-{year}` records give *the full picture*.")
    return " ".join(sentences)


def article(rng, i):
    year = rng.randint(1985, 2023)
    theme = rng.choice(THEMES)
    city = rng.choice(CITIES)
    out = [
        "---",
        f'title: "The {city} {theme} dispute: what you need to know (#{i})"',
        f"date: {year + 1}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        f"tags: [{theme.replace(' ', '-')}, {city.lower().replace(' ', '-')}, explainers]",
        f'summary: "How the {theme} dispute in {city} started, what was decided, and what is still open."',
        "---",
        "",
        f"The **{city} {theme} dispute** drew attention well beyond the region. " + " ".join(rng.sample(PROSE, 2)),
        "",
    ]
    sections = rng.randint(4, 6)
    for s in range(sections):
        y = year - rng.randint(0, 3) + s
        out += [f"## {rng.choice(THEMES).capitalize()} and {rng.choice(CITIES)}: part {s + 1}", ""]
        for _ in range(rng.randint(2, 3)):
            out += [paragraph(rng, y, theme, i), ""]
        kind = s % 3
        if kind == 0:
            out += [f"- {event(rng, y)}", f"- {event(rng, y + 1)}", f"- {rng.choice(PROSE)}", ""]
        elif kind == 1:
            out += [f"> {rng.choice(PROSE)} {event(rng, y)}", ""]
        else:
            out += [f"### What changed in {y}", "", paragraph(rng, y, theme, i), "",
                    f"1. {event(rng, y)}", f"2. {rng.choice(PROSE)}", ""]
        if s == 1 and i % 3 == 0:
            out += [f"> [!{ALERTS[i % len(ALERTS)]}]", f"> {rng.choice(PROSE)}", ""]
    out += ["## Key takeaways", ""]
    points = rng.randint(3, 5)
    if i % 2 == 0:
        out += [" ".join(f"{ORDINALS[k]}, {rng.choice(PROSE)[0].lower()}{rng.choice(PROSE)[1:]}"
                         for k in range(points)), ""]
    else:
        out += [f"- {rng.choice(PROSE)}" for _ in range(points)] + [""]
    return "\n".join(out)


INDEX = """---
title: "Benchmark Explainers"
base_url: https://example.org/
language: en
author: The Benchmark Desk
---
Generated explainers for lede's benchmark.
"""


def main():
    args = sys.argv[1:]
    if len(args) < 2:
        sys.exit(__doc__)
    site, n = args[0], int(args[1])
    seed = int(args[args.index("--seed") + 1]) if "--seed" in args else 6
    rng = random.Random(seed)
    content = os.path.join(site, "content")
    os.makedirs(content, exist_ok=True)
    with open(os.path.join(content, "_index.md"), "w") as f:
        f.write(INDEX)
    for i in range(n):
        with open(os.path.join(content, f"explainer-{i:05d}.md"), "w", encoding="utf-8") as f:
            f.write(article(rng, i))


if __name__ == "__main__":
    main()
