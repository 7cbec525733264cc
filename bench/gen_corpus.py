#!/usr/bin/env python3
"""Chancery's benchmark corpus: a synthetic foreign-policy report of any size.

The report has N sections in chapters of --per-chapter (25), and registries of
countries (200), officials (N/2) and agreements (N/3). Every section names the
countries, officials and agreements it covers in its front matter and mentions
them in its text; how often an entity is covered follows a Zipf law (a few
countries, officials and agreements are everywhere, most appear a few times),
and every registry entry is covered by at least one section.

Formats (the sections, titles, texts and registries are the same in all three):

  chancery  a Chancery site:
              site.yaml
              content/chapter-NNN/_index.md            number, title
              content/chapter-NNN/NN-<slug>.md         title, number, countries, officials, agreements
              content/countries/<id>.md                name, iso, region
              content/officials/<id>.md                name, country, positions [{title, from}]
              content/agreements/<id>.md               title, kind, signed, parties, signatories, binding
  hugo      a Hugo site rendering the same pages: config.toml (taxonomies countries,
            officials, agreements; RSS, sitemap, robots.txt and 404 off), content/_index.md,
            content/chapter-NNN/_index.md (title, weight) and NN-<slug>.md (title, chapter,
            order, countries, officials, agreements), data/countries.yaml,
            data/officials.yaml, data/agreements.yaml, layouts/_default/{baseof, single,
            list, taxonomy, term}.html and static/style.css. Hugo makes one page per
            section, chapter and entity, one per taxonomy and the home page.
  plain     the sections (Hugo's front matter) and the data/ registries only.

The output depends only on the arguments: one seeded random.Random drives every
choice, and nothing iterates a set or reads the clock, so two runs write the
same bytes whatever PYTHONHASHSEED is. Standard library only.

Usage:
  gen_corpus.py --sections 10000 --out DIR --format chancery [--force]
  gen_corpus.py --sections 1000 --out DIR --format hugo
Prints one line of JSON: the counts, the references and the bytes written.
"""
from __future__ import annotations

import argparse
import bisect
import json
import os
import random
import shutil
import sys
import unicodedata

DEFAULT_SEED = 2013
# How often a country named in a section's text is one the section does not list: about two such names
# per section, each a Chancery warning (the index pages would miss the section), as in a real draft.
UNLISTED_MENTION = 0.1

# --------------------------------------------------------------------------
# Vocabulary

REGIONS = {
    "Asia and Oceania": """Afghanistan; Australia; Bangladesh; Bhutan; Brunei; Cambodia; China; Cook Islands;
        Fiji; Hong Kong; India; Indonesia; Kiribati; Laos; Malaysia; Maldives; Marshall Islands; Micronesia;
        Mongolia; Myanmar; Nauru; Nepal; New Zealand; Niue; North Korea; Pakistan; Palau; Papua New Guinea;
        Philippines; Samoa; Singapore; Solomon Islands; South Korea; Sri Lanka; Taiwan; Thailand; Timor-Leste;
        Tonga; Tuvalu; Vanuatu; Vietnam""",
    "North America": "Canada; United States",
    "Latin America and the Caribbean": """Antigua and Barbuda; Argentina; Bahamas; Barbados; Belize; Bolivia;
        Brazil; Chile; Colombia; Costa Rica; Cuba; Dominica; Dominican Republic; Ecuador; El Salvador; Grenada;
        Guatemala; Guyana; Haiti; Honduras; Jamaica; Mexico; Nicaragua; Panama; Paraguay; Peru;
        Saint Kitts and Nevis; Saint Lucia; Saint Vincent and the Grenadines; Suriname; Trinidad and Tobago;
        Uruguay; Venezuela""",
    "Europe": """Albania; Andorra; Austria; Belarus; Belgium; Bosnia and Herzegovina; Bulgaria; Croatia; Cyprus;
        Czechia; Denmark; Estonia; Finland; France; Germany; Greece; Holy See; Hungary; Iceland; Ireland; Italy;
        Kosovo; Latvia; Liechtenstein; Lithuania; Luxembourg; Malta; Moldova; Monaco; Montenegro; Netherlands;
        North Macedonia; Norway; Poland; Portugal; Romania; San Marino; Serbia; Slovakia; Slovenia; Spain;
        Sweden; Switzerland; Ukraine; United Kingdom""",
    "Russia, Central Asia and the Caucasus": """Russia; Kazakhstan; Kyrgyzstan; Tajikistan; Turkmenistan;
        Uzbekistan; Armenia; Azerbaijan; Georgia""",
    "Middle East and North Africa": """Algeria; Bahrain; Egypt; Iran; Iraq; Israel; Jordan; Kuwait; Lebanon;
        Libya; Morocco; Oman; Palestine; Qatar; Saudi Arabia; Syria; Tunisia; Türkiye; United Arab Emirates;
        Western Sahara; Yemen""",
    "Sub-Saharan Africa": """Angola; Benin; Botswana; Burkina Faso; Burundi; Cabo Verde; Cameroon;
        Central African Republic; Chad; Comoros; Congo; Côte d'Ivoire; Democratic Republic of the Congo;
        Djibouti; Equatorial Guinea; Eritrea; Eswatini; Ethiopia; Gabon; Gambia; Ghana; Guinea; Guinea-Bissau;
        Kenya; Lesotho; Liberia; Madagascar; Malawi; Mali; Mauritania; Mauritius; Mozambique; Namibia; Niger;
        Nigeria; Rwanda; São Tomé and Príncipe; Senegal; Seychelles; Sierra Leone; Somalia; South Africa;
        South Sudan; Sudan; Tanzania; Togo; Uganda; Zambia; Zimbabwe""",
}
# The countries a real report mentions most, in order; the rest follow in a seeded shuffle.
PROMINENT = ["United States", "China", "South Korea", "Russia", "India", "Australia", "United Kingdom",
             "France", "Germany", "Indonesia"]

GIVEN_NAMES = """Akira Alexei Aliya Amara Anders Ayumi Bakhyt Beatriz Bogdan Camille Chiara Daniela Darius
    Dilnoza Elif Emeka Erik Farida Felipe Gulnara Hamid Hana Ibrahim Ines Ivana Jae-won Joao Karim Katarzyna
    Kwabena Lars Layla Lorenzo Magnus Malik Marta Matteo Minh Mirela Nadia Nikos Noor Oksana Pavel Rania
    Rustam Sabine Samir Sanjay Siddharth Sina Soo-ah Svetlana Takeshi Tariq Teodora Thanh Valentina Wei Yasmin
    Yerlan Zainab""".split()
SURNAME_PARTS = """ab ad al an ar ba be bo da de di el en er fa ga go ha he ka ki ko la le lo ma me mi
    mo na ne no or ov pa pe ra re ri ro sa se so ta te to ul va ve vi za zo""".split()
SURNAME_ENDINGS = ["", "", "", "ev", "ova", "ski", "ani", "ez", "sen", "oglu", "yan", "enko", "ura", "ides"]

POSITIONS = ["President", "Vice President", "Prime Minister", "Deputy Prime Minister", "Foreign Minister",
             "Minister of Defence", "Minister of Economy", "Minister of Energy", "Minister of Trade",
             "National Security Adviser", "Speaker of Parliament", "Ambassador in Tokyo",
             "State Secretary for Foreign Affairs", "Special Envoy for Climate",
             "Permanent Representative to the United Nations", "Governor of the Central Bank"]
AGREEMENT_KINDS = ["Agreement", "Treaty", "Memorandum of Understanding", "Joint Statement", "Protocol",
                   "Action Plan", "Declaration", "Exchange of Notes", "Partnership Framework"]
FIELDS = ["Maritime Safety", "Energy Transition", "Investment Protection", "Customs Cooperation",
          "Science and Technology", "Disaster Relief", "Public Health", "Nuclear Safety", "Fisheries",
          "Cyber Defence", "Infrastructure Finance", "Education Exchange", "Civil Aviation", "Tax Matters",
          "Critical Minerals", "Social Security", "Peacekeeping Support", "Space Cooperation",
          "Food Security", "Cultural Heritage", "Mutual Legal Assistance", "Climate Adaptation"]
# No city shares a name with a country: the text would mention the country.
CITIES = ["Tokyo", "Osaka", "Geneva", "Vienna", "Kuala Lumpur", "Bangkok", "Istanbul", "Nairobi", "Lima",
          "Brussels", "Ottawa", "Canberra", "Abu Dhabi", "Cairo", "Almaty", "Hanoi", "Bali", "Helsinki",
          "Santiago", "Dakar", "Seoul", "Honolulu"]
GATHERINGS = ["summit", "foreign ministers' meeting", "strategic dialogue", "economic dialogue",
              "security consultation", "joint commission", "vice-ministerial talks", "high-level forum",
              "trilateral summit", "policy dialogue", "working dinner", "video conference"]
GOALS = ["deepen cooperation in {field}", "open negotiations on {field}", "set up a working group on {field}",
         "hold the next round of talks in {city}", "expand exchanges among young people",
         "uphold a free and open international order based on the rule of law",
         "coordinate positions at the United Nations", "step up cooperation in {field}",
         "work towards the early entry into force of pending agreements",
         "oppose any unilateral attempt to change the status quo by force or coercion",
         "raise the number of direct flights", "share information on {field}"]
PROJECTS = ["a grant for port facilities", "a yen loan for urban railways", "training for coast guard officers",
            "a programme of scholarships", "equipment for weather observation", "support for elections",
            "a water supply project", "emergency food aid", "a vocational training centre",
            "mine clearance assistance", "a feasibility study for a power plant", "a hospital renovation"]
QUOTATIONS = ["Partnership is built step by step, through meetings like this one.",
              "We share the conviction that disputes must be settled peacefully and in accordance with international law.",
              "This agreement is proof that distance is no obstacle to friendship.",
              "Our economies are more closely connected than ever, and so are our responsibilities.",
              "Together we can turn shared concerns into shared projects.",
              "The years ahead will test us, and we intend to meet that test together."]
HEADINGS = ["Overview", "Political Relations", "Economic Relations", "Security and Defence",
            "Regional Cooperation", "People-to-People Exchanges", "Development Cooperation",
            "Multilateral Diplomacy", "Outlook"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
# Scalars that YAML 1.1 reads as booleans or null: never an id.
YAML_WORDS = ["y", "n", "yes", "no", "on", "off", "true", "false", "null"]

# --------------------------------------------------------------------------
# Helpers


def slug_of(text: str) -> str:
    """Lowercase ASCII letters and digits joined by single hyphens ('Côte d'Ivoire' -> 'cote-d-ivoire')."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    words, word = [], ""
    for ch in folded:
        if ch.isalnum():
            word += ch
        elif word:
            words.append(word)
            word = ""
    if word:
        words.append(word)
    return "-".join(words)


def claim(base: str, taken: dict) -> str:
    """A free id from base (base, base-2, base-3 ...), recorded in taken (a dict, used as an ordered set)."""
    if not base or not base[0].isalpha() or base in YAML_WORDS:
        base = "x-" + base
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    taken[candidate] = True
    return candidate


def yaml_string(text: str) -> str:
    """A double-quoted YAML scalar (JSON's string syntax is a subset of it)."""
    return json.dumps(text, ensure_ascii=False)


def yaml_list(ids: list[str]) -> str:
    return "[" + ", ".join(ids) + "]"


class Popularity:
    """Draws items with probability proportional to 1 / rank**exponent (rank 1 = the first item)."""

    def __init__(self, items: list, exponent: float):
        self.items = items
        self.cumulative = []
        total = 0.0
        for rank in range(1, len(items) + 1):
            total += rank ** -exponent
            self.cumulative.append(total)

    def draw(self, rng: random.Random):
        point = rng.random() * self.cumulative[-1]
        return self.items[min(bisect.bisect_right(self.cumulative, point), len(self.items) - 1)]


def distinct(rng: random.Random, count: int, draw, start: list | None = None, attempts: int = 300) -> list:
    """start extended, in order, with distinct results of draw(rng) until it holds count items (or attempts run out)."""
    chosen = list(start or [])
    seen = dict.fromkeys(chosen)
    for _ in range(attempts):
        if len(chosen) >= count:
            break
        item = draw(rng)
        if item is not None and item not in seen:
            seen[item] = None
            chosen.append(item)
    return chosen


# --------------------------------------------------------------------------
# The registries


class Registry:
    def __init__(self, rng: random.Random, n_countries: int, n_officials: int, n_agreements: int):
        self.countries: list[dict] = []
        self.officials: list[dict] = []
        self.agreements: list[dict] = []
        self.by_id: dict[str, dict] = {}
        self._countries(rng, n_countries)
        self._officials(rng, n_officials)
        self._agreements(rng, n_agreements)

    def _countries(self, rng, count):
        named = [(name.strip(), region) for region, names in REGIONS.items()
                 for name in " ".join(names.split()).split(";")]
        regions = list(REGIONS)
        invented = dict.fromkeys(name for name, _ in named)
        while len(named) < count:  # more than the 200 real ones: invented republics, in turn across the regions
            name = "Republic of " + "".join(rng.choice(SURNAME_PARTS) for _ in range(3)).capitalize()
            if name not in invented:
                invented[name] = True
                named.append((name, regions[len(named) % len(regions)]))
        named = named[:count]
        taken, codes = {}, {}
        for name, region in named:
            record = {"id": claim(slug_of(name), taken), "name": name, "region": region,
                      "iso": self._iso(name, codes), "officials": [], "agreements": []}
            self.countries.append(record)
            self.by_id[record["id"]] = record
        order = [c for c in self.countries if c["name"] not in PROMINENT]
        rng.shuffle(order)
        prominent = [c for name in PROMINENT for c in self.countries if c["name"] == name]
        self.country_rank = Popularity(prominent + order, 1.0)
        self.in_region = {region: [c["id"] for c in self.countries if c["region"] == region] for region in regions}

    @staticmethod
    def _iso(name: str, codes: dict) -> str:
        """Two capital letters, unique: the name's first letter and a later one, else the first free pair."""
        letters = [ch for ch in unicodedata.normalize("NFKD", name).upper() if "A" <= ch <= "Z"]
        candidates = [letters[0] + later for later in letters[1:]]
        candidates += [chr(a) + chr(b) for a in range(65, 91) for b in range(65, 91)]
        for code in candidates:
            if code not in codes:
                codes[code] = True
                return code
        return "ZZ"

    def _officials(self, rng, count):
        taken = dict.fromkeys(c["id"] for c in self.countries)
        country_words = dict.fromkeys(" ".join(c["name"] for c in self.countries).lower().split())
        names = {}
        for _ in range(count):
            # Names are unique (a mention must name one person), and no surname reads as a country's name.
            while True:
                stem = "".join(rng.choice(SURNAME_PARTS) for _ in range(rng.randint(2, 3)))
                surname = (stem + rng.choice(SURNAME_ENDINGS)).capitalize()
                name = f"{rng.choice(GIVEN_NAMES)} {surname}"
                if surname.lower() not in country_words and name not in names:
                    names[name] = True
                    break
            country = self.country_rank.draw(rng)
            record = {"id": claim(slug_of(name), taken), "name": name, "country": country["id"],
                      "title": rng.choice(POSITIONS),
                      "from": f"{rng.randint(1978, 1991)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"}
            self.officials.append(record)
            self.by_id[record["id"]] = record
            country["officials"].append(record["id"])
        order = [o["id"] for o in self.officials]
        rng.shuffle(order)
        self.official_rank = Popularity(order, 1.0)
        self._taken = taken

    def _agreements(self, rng, count):
        taken, titles = self._taken, {}
        for _ in range(count):
            for attempt in range(1, 1000):  # titles are unique, as names are
                parties = distinct(rng, rng.choice([2, 2, 2, 2, 2, 3, 3, 4]), lambda r: self.country_rank.draw(r)["id"])
                year = rng.randint(1992, 2024)
                kind, field = rng.choice(AGREEMENT_KINDS), rng.choice(FIELDS)
                names = [self.by_id[p]["name"] for p in parties]
                if len(parties) == 2:
                    title = f"{names[0]}–{names[1]} {kind} on {field}"
                else:
                    title = f"{rng.choice(CITIES)} {kind} on {field}"
                if attempt > 100:
                    title += f", Part {attempt}"
                if f"{title} ({year})" not in titles:
                    titles[f"{title} ({year})"] = True
                    break
            signatories = []
            for party in parties:
                officials = self.by_id[party]["officials"]
                if officials:
                    signatory = rng.choice(officials)
                    if signatory not in signatories:
                        signatories.append(signatory)
            record = {"id": claim(slug_of(f"{title} {year}"), taken), "title": f"{title} ({year})",
                      "kind": kind.lower(), "parties": parties, "signatories": signatories,
                      "signed": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"}
            self.agreements.append(record)
            self.by_id[record["id"]] = record
            for party in parties:
                self.by_id[party]["agreements"].append(record["id"])
        order = [a["id"] for a in self.agreements]
        rng.shuffle(order)
        self.agreement_rank = Popularity(order, 0.9)


# --------------------------------------------------------------------------
# The sections: what each covers, its title, its text


def coverage(rng: random.Random, reg: Registry, n_sections: int) -> list[dict]:
    """What each section covers: a region, and lists of country, official and agreement ids."""
    sections = []
    for _ in range(n_sections):
        region = rng.choice(list(REGIONS))
        nearby = reg.in_region[region] or [reg.countries[0]["id"]]
        countries = distinct(rng, rng.randint(3, 12),
                             lambda r: r.choice(nearby) if r.random() < 0.5 else reg.country_rank.draw(r)["id"])
        local = [o for c in countries for o in reg.by_id[c]["officials"]]
        officials = distinct(rng, rng.randint(2, 10),
                             lambda r: r.choice(local) if local and r.random() < 0.7 else reg.official_rank.draw(r))
        related = [a for c in countries for a in reg.by_id[c]["agreements"]]
        agreements = distinct(rng, rng.choice([0, 0, 1, 1, 2, 2, 3, 4, 5]),
                              lambda r: r.choice(related) if related and r.random() < 0.6 else reg.agreement_rank.draw(r))
        sections.append({"region": region, "countries": countries, "officials": officials, "agreements": agreements})
    # Every record is covered somewhere: one left out joins a section, preferably one that covers its country.
    covering = {}
    for index, section in enumerate(sections):
        for country in section["countries"]:
            covering.setdefault(country, []).append(index)
    for key, records in (("countries", reg.countries), ("officials", reg.officials), ("agreements", reg.agreements)):
        used = dict.fromkeys(i for s in sections for i in s[key])
        for record in records:
            if record["id"] in used:
                continue
            home = record.get("country") or (record.get("parties") or [None])[0]
            candidates = covering.get(home) or range(n_sections)
            sections[rng.choice(candidates)][key].append(record["id"])
    return sections


def section_titles(rng: random.Random, reg: Registry, sections: list[dict], per_chapter: int) -> None:
    """A title and a file name for every section; within a chapter no two share a URL name."""
    slugs_in_chapter: dict = {}
    for index, section in enumerate(sections):
        if index % per_chapter == 0:
            slugs_in_chapter = {}
        names = [reg.by_id[c]["name"] for c in section["countries"]]
        field = rng.choice(FIELDS)
        options = [section["region"], f"Relations with {names[0]}", f"{names[0]} and {names[1]}",
                   f"{field} in {section['region']}", f"{names[0]}, {names[1]} and {names[2]}",
                   f"{names[0]}: {field}"]
        title = rng.choice(options)
        slug = slug_of(title)[:50].strip("-")
        number = 1
        while slug in slugs_in_chapter:
            number += 1
            slug = f"{slug_of(title)[:46].strip('-')}-{number}"
        if number > 1:
            title = f"{title} ({number})"
        slugs_in_chapter[slug] = True
        section["title"] = title
        section["file"] = f"{index % per_chapter + 1:02d}-{slug}.md"


class Writer:
    """Writes one section's text: paragraphs, headings, lists, quotations, links and notes."""

    def __init__(self, rng: random.Random, reg: Registry, section: dict, chapters: list[str], unlisted: float):
        self.rng, self.reg, self.section, self.chapters = rng, reg, section, chapters
        self.unlisted = unlisted
        # Each listed entity is mentioned once before any is mentioned again.
        self.pending = {key: list(section[key]) for key in ("countries", "officials", "agreements")}
        self.notes = 0
        self.previous = ""  # the kind of the last block
        self.last_official = ""

    def pick(self, key: str, besides: str = "") -> dict | None:
        """A listed entity: the next one not yet mentioned, else any but `besides` (when there is a choice)."""
        listed = self.section[key]
        if not listed:
            return None
        pending = self.pending[key]
        if pending:
            chosen = pending.pop(0)
        else:
            others = [i for i in listed if i != besides] or listed
            chosen = self.rng.choice(others)
        return self.reg.by_id[chosen]

    def country(self, besides: str = "") -> str:
        """A listed country's name; now and then, a neighbour the section does not list."""
        rng = self.rng
        if rng.random() < self.unlisted:
            return self.reg.by_id[rng.choice(self.reg.in_region[self.section["region"]] or self.section["countries"])]["name"]
        return self.pick("countries", besides)["name"]

    def countries(self) -> tuple[str, str]:
        first = self.country()
        return first, self.country(besides=slug_of(first))

    def official(self, with_title: bool = True, besides: str = "") -> str:
        """A listed official's name, with title (and country, when the section lists it)."""
        person = self.pick("officials", besides)
        self.last_official = person["id"]
        if not with_title:
            return person["name"]
        country = person["country"]
        where = f", {self.reg.by_id[country]['name']}" if country in self.section["countries"] else ""
        return f"{person['name']} ({person['title']}{where})"

    def officials(self) -> tuple[str, str]:
        first = self.official()
        return first, self.official(besides=self.last_official)

    def year(self) -> int:
        return self.rng.randint(1996, 2024)

    def goal(self) -> str:
        return self.rng.choice(GOALS).format(field=self.rng.choice(FIELDS).lower(), city=self.rng.choice(CITIES))

    def sentence(self) -> str:
        rng = self.rng
        # Agreements come up often until each listed one is named, then now and then.
        chance = 0.2 if self.pending["agreements"] else 0.04
        agreement = self.pick("agreements") if self.section["agreements"] and rng.random() < chance else None
        if agreement is not None:
            if rng.random() < 0.5:
                return f"Both governments confirmed that the *{agreement['title']}* remains the basis of their work on {rng.choice(FIELDS).lower()}."
            return f"Implementation of the {agreement['title']} was reviewed at the {rng.choice(GATHERINGS)} in {rng.choice(CITIES)}."
        kind = rng.randrange(12)
        if kind == 0:
            first, second = self.officials()
            return f"In {rng.choice(MONTHS)} {self.year()}, {first} and {second} met in {rng.choice(CITIES)} and agreed to {self.goal()}."
        if kind == 1:
            return f"Relations with {self.country()} in {rng.choice(FIELDS).lower()} continued to grow, and {rng.choice(PROJECTS)} got under way."
        if kind == 2:
            return f"The {rng.choice(GATHERINGS)} in {rng.choice(CITIES)} took up {rng.choice(FIELDS).lower()}, {rng.choice(FIELDS).lower()} and the situation in {self.country()}."
        if kind == 3:
            return f"Trade with **{self.country()}** came to {rng.randint(1, 95)}.{rng.randint(0, 9)} billion yen, {rng.randint(2, 40)}% more than a year earlier."
        if kind == 4:
            return f"Japan expressed *grave concern* about developments in {self.country()} and urged every party to show restraint."
        if kind == 5:
            country = rng.choice(self.section["countries"])  # in the addresses only, not a mention
            link = lambda: f"https://www.mofa.example.go.jp/region/{country}/{rng.choice(['press', 'note', 'pr'])}{rng.randint(1, 999):03d}_{rng.randint(0, 99999):05d}.html"
            return f"The texts are in [the press release]({link()}) and [the summary of the talks]({link()})."
        if kind == 6:
            chapter = rng.randrange(len(self.chapters))
            return f"The measures involved are set out in [Chapter {chapter + 1}](/{self.chapters[chapter]}/) of this report."
        if kind == 7:
            return f"{rng.randint(1000, 2_500_000):,} visitors from {self.country()} came to Japan in {self.year()}, {rng.randint(1, 55)}% more than in the year before."
        if kind == 8:
            return f"{self.official(with_title=False)} called `{rng.choice(FIELDS)}` a priority for the years ahead."
        if kind == 9:
            return f"{self.official()} visited Japan in {rng.choice(MONTHS)} {self.year()} and held talks on {rng.choice(FIELDS).lower()}."
        if kind == 10:
            return f"Japan decided to provide {self.country()} with {rng.choice(PROJECTS)} worth {rng.randint(1, 60)}.{rng.randint(0, 9)} billion yen."
        first, second = self.countries()
        return f"Japan will continue to {self.goal()} together with {first} and {second}."

    def paragraph(self) -> str:
        text = " ".join(self.sentence() for _ in range(self.rng.randint(3, 6)))
        if self.notes < 3 and self.rng.random() < 0.12:
            self.notes += 1
            text += f"[^{self.notes}]"
        return text

    def block(self) -> str:
        rng = self.rng
        roll = rng.random()
        after_heading = self.previous == "heading"
        self.previous = "heading"
        if roll < 0.12 and not after_heading:
            choice = rng.randrange(len(HEADINGS) + 1)
            return "## " + (HEADINGS[choice] if choice < len(HEADINGS) else f"Relations with {self.pick('countries')['name']}")
        if roll < 0.20 and not after_heading:
            choice = rng.randrange(3)
            return "### " + (rng.choice(FIELDS) if choice == 0 else self.pick("countries")["name"] if choice == 1 else "Visits and Meetings")
        self.previous = "text"
        if roll < 0.30:
            return "\n".join("- " + self.sentence() for _ in range(rng.randint(3, 7)))
        if roll < 0.36:
            return "\n".join(f"{n}. {self.sentence()}" for n in range(1, rng.randint(3, 6) + 1))
        if roll < 0.41:
            return f"> {rng.choice(QUOTATIONS)}\n>\n> — {self.official(with_title=False)}"
        return self.paragraph()

    def text(self, target: int) -> str:
        blocks = [self.paragraph()]
        size = len(blocks[0])
        while size < target:
            block = self.block()
            blocks.append(block)
            size += len(block) + 2
        closing = self.closing()
        if closing:
            blocks.append(closing)
        for number in range(1, self.notes + 1):
            blocks.append(f"[^{number}]: {self.sentence()}")
        return "\n\n".join(blocks) + "\n"

    def closing(self) -> str:
        """A last paragraph naming whatever the section lists but its text has not named yet."""
        def names(key: str, field: str) -> str:
            items = [self.reg.by_id[i][field] for i in self.pending[key]]
            return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
        sentences = []
        if self.pending["countries"]:
            sentences.append(f"Japan also kept in close contact with {names('countries', 'name')}.")
        if self.pending["officials"]:
            sentences.append(f"Messages were exchanged with {names('officials', 'name')}.")
        if self.pending["agreements"]:
            sentences.append(f"Work under the {names('agreements', 'title')} continued.")
        return " ".join(sentences)


# --------------------------------------------------------------------------
# Hugo's site files

HUGO_CONFIG = """baseURL = "https://reports.example.org/"
title = "Diplomatic Bluebook (synthetic)"
languageCode = "en"
disableKinds = ["RSS", "sitemap", "robotsTXT", "404"]

[taxonomies]
  country = "countries"
  official = "officials"
  agreement = "agreements"
"""

HUGO_LAYOUTS = {
    "baseof.html": """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ block "title" . }}{{ .Title }}{{ end }} – {{ site.Title }}</title>
<link rel="stylesheet" href="{{ "style.css" | relURL }}">
</head>
<body>
<header>
<p class="site"><a href="{{ "/" | relURL }}">{{ site.Title }}</a></p>
<nav><a href="{{ "countries/" | relURL }}">Countries</a> · <a href="{{ "officials/" | relURL }}">Officials</a> · <a href="{{ "agreements/" | relURL }}">Agreements</a></nav>
</header>
<main>{{ block "main" . }}{{ end }}</main>
<footer><p>A synthetic report, generated for benchmarks.</p></footer>
</body>
</html>
""",
    "single.html": """{{ define "main" }}
<article>
<nav class="crumbs"><a href="{{ .Parent.RelPermalink }}">{{ .Parent.Title }}</a> › {{ .Params.chapter }}.{{ .Params.order }}</nav>
<h1>{{ .Title }}</h1>
{{ .Content }}
<section class="related">
<h2>Countries</h2>
<ul>{{ range .Params.countries }}<li><a href="{{ printf "countries/%s/" . | relURL }}">{{ (index site.Data.countries .).name }}</a></li>{{ end }}</ul>
<h2>Officials</h2>
<ul>{{ range .Params.officials }}{{ $person := index site.Data.officials . }}<li><a href="{{ printf "officials/%s/" . | relURL }}">{{ $person.name }}</a> ({{ $person.title }})</li>{{ end }}</ul>
{{ with .Params.agreements }}<h2>Agreements</h2>
<ul>{{ range . }}{{ $deal := index site.Data.agreements . }}<li><a href="{{ printf "agreements/%s/" . | relURL }}">{{ $deal.title }}</a>, {{ $deal.date }}</li>{{ end }}</ul>{{ end }}
</section>
</article>
{{ end }}
""",
    "list.html": """{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
{{ if .IsHome }}
<ol class="chapters">{{ range .Sections.ByWeight }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>: {{ len .Pages }} sections</li>{{ end }}</ol>
{{ else }}
<ol class="sections">{{ range sort .Pages "Params.order" }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ol>
{{ end }}
{{ end }}
""",
    "taxonomy.html": """{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ $records := index site.Data .Data.Plural }}
<ul class="index">{{ range .Data.Terms.Alphabetical }}{{ $record := index $records .Name }}<li><a href="{{ .Page.RelPermalink }}">{{ or $record.name $record.title .Page.Title }}</a> – {{ .Count }}</li>{{ end }}</ul>
{{ end }}
""",
    "term.html": """{{ define "title" }}{{ $record := index (index site.Data .Data.Plural) .Data.Term }}{{ or $record.name $record.title }}{{ end }}
{{ define "main" }}
{{ $record := index (index site.Data .Data.Plural) .Data.Term }}
{{ if eq .Data.Plural "countries" }}
<h1>{{ $record.name }}</h1>
<p>{{ $record.region }}</p>
{{ else if eq .Data.Plural "officials" }}
<h1>{{ $record.name }}</h1>
<p>{{ $record.title }}{{ with index site.Data.countries $record.country }}, <a href="{{ printf "countries/%s/" $record.country | relURL }}">{{ .name }}</a>{{ end }}</p>
{{ else }}
<h1>{{ $record.title }}</h1>
<p>Signed on {{ $record.date }} by {{ range $i, $party := $record.parties }}{{ if $i }}, {{ end }}<a href="{{ printf "countries/%s/" $party | relURL }}">{{ (index site.Data.countries $party).name }}</a>{{ end }}.</p>
{{ with $record.signatories }}<p>Signatories: {{ range $i, $person := . }}{{ if $i }}, {{ end }}<a href="{{ printf "officials/%s/" $person | relURL }}">{{ (index site.Data.officials $person).name }}</a>{{ end }}.</p>{{ end }}
{{ end }}
<h2>Sections</h2>
<ul>{{ range sort .Pages "File.Path" }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> ({{ .Params.chapter }}.{{ .Params.order }})</li>{{ end }}</ul>
{{ end }}
""",
}

HUGO_STYLE = "body{font:16px/1.5 sans-serif;max-width:48em;margin:0 auto;padding:0 1em}.related{border-top:1px solid #999}\n"


# --------------------------------------------------------------------------


class Output:
    """Writes files under a root, counting bytes."""

    def __init__(self, root: str):
        self.root = root
        self.bytes = 0
        self.folders: dict = {}

    def write(self, relative: str, text: str) -> None:
        path = os.path.join(self.root, relative)
        folder = os.path.dirname(path)
        if folder not in self.folders:
            os.makedirs(folder, exist_ok=True)
            self.folders[folder] = True
        data = text.encode("utf-8")
        with open(path, "wb") as handle:
            handle.write(data)
        self.bytes += len(data)


def sources(title: str) -> list[str]:
    """A `sources:` list citing one page of the synthetic report's publisher, as every real page cites its own."""
    return ["sources:", f"  - title: {yaml_string('Synthetic report: ' + title)}",
            "    url: https://archive.example.net/reports/"]


def front_matter(lines: list[str]) -> str:
    return "---\n" + "\n".join(lines) + "\n---\n"


def write_registries_for_hugo(out: Output, reg: Registry) -> None:
    lines = []
    for c in reg.countries:
        lines += [f"{c['id']}:", f"  name: {yaml_string(c['name'])}", f"  region: {yaml_string(c['region'])}"]
    out.write("data/countries.yaml", "\n".join(lines) + "\n")
    lines = []
    for o in reg.officials:
        lines += [f"{o['id']}:", f"  name: {yaml_string(o['name'])}", f"  title: {yaml_string(o['title'])}",
                  f"  country: {o['country']}"]
    out.write("data/officials.yaml", "\n".join(lines) + "\n")
    lines = []
    for a in reg.agreements:
        lines += [f"{a['id']}:", f"  title: {yaml_string(a['title'])}", f"  date: {yaml_string(a['signed'])}",
                  f"  parties: {yaml_list(a['parties'])}", f"  signatories: {yaml_list(a['signatories'])}"]
    out.write("data/agreements.yaml", "\n".join(lines) + "\n")


def write_records_for_chancery(out: Output, reg: Registry) -> None:
    for c in reg.countries:
        out.write(f"content/countries/{c['id']}.md", front_matter(
            [f"name: {yaml_string(c['name'])}", f"iso: {c['iso']}", f"region: {yaml_string(c['region'])}"] + sources(c['name'])))
    for o in reg.officials:
        out.write(f"content/officials/{o['id']}.md", front_matter(
            [f"name: {yaml_string(o['name'])}", f"country: {o['country']}", "positions:",
             f"  - title: {yaml_string(o['title'])}", f"    from: {o['from']}"] + sources(o['name'])))
    for a in reg.agreements:
        out.write(f"content/agreements/{a['id']}.md", front_matter(
            [f"title: {yaml_string(a['title'])}", f"kind: {yaml_string(a['kind'])}", f"signed: {a['signed']}",
             f"parties: {yaml_list(a['parties'])}", f"signatories: {yaml_list(a['signatories'])}", "binding: true"]
            + sources(a['title'])))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sections", type=int, required=True, help="number of sections (N)")
    ap.add_argument("--out", required=True, help="output folder: absent or empty, unless --force")
    ap.add_argument("--format", choices=["chancery", "hugo", "plain"], default="plain")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    ap.add_argument("--per-chapter", type=int, default=25, help="sections per chapter (default 25)")
    ap.add_argument("--countries", type=int, default=200, help="countries (default 200)")
    ap.add_argument("--officials", type=int, default=None, help="officials (default max(10, N/2))")
    ap.add_argument("--agreements", type=int, default=None, help="agreements (default max(5, N/3))")
    ap.add_argument("--force", action="store_true", help="delete --out first when it is not empty")
    args = ap.parse_args()
    if args.sections < 1 or args.per_chapter < 1 or args.countries < 3:
        ap.error("need at least 1 section, 1 section per chapter and 3 countries")

    n = args.sections
    n_officials = args.officials if args.officials is not None else max(10, n // 2)
    n_agreements = args.agreements if args.agreements is not None else max(5, n // 3)
    if os.path.isdir(args.out) and os.listdir(args.out):
        if not args.force:
            sys.exit(f"gen_corpus: {args.out} is not empty (use --force to replace it)")
        shutil.rmtree(args.out)

    rng = random.Random(args.seed)
    reg = Registry(rng, args.countries, n_officials, n_agreements)
    sections = coverage(rng, reg, n)
    section_titles(rng, reg, sections, args.per_chapter)
    chapters = [f"chapter-{c + 1:03d}" for c in range((n + args.per_chapter - 1) // args.per_chapter)]

    out = Output(args.out)
    for index, section in enumerate(sections):
        chapter, order = index // args.per_chapter, index % args.per_chapter + 1
        lines = [f"title: {yaml_string(section['title'])}"]
        lines += [f"number: {order}"] if args.format == "chancery" else [f"chapter: {chapter + 1}", f"order: {order}"]
        lines += [f"{key}: {yaml_list(section[key])}" for key in ("countries", "officials", "agreements")]
        lines += sources(section['title'])
        body = Writer(rng, reg, section, chapters, unlisted=UNLISTED_MENTION).text(rng.randint(2900, 7800))
        out.write(f"content/{chapters[chapter]}/{section['file']}", front_matter(lines) + "\n" + body)

    if args.format == "chancery":
        out.write("site.yaml", 'title: "Diplomatic Bluebook (synthetic)"\nedition: 2013\nlanguage: en\n'
                               'base_url: "https://reports.example.org/"\n')
        for number, chapter in enumerate(chapters, 1):
            out.write(f"content/{chapter}/_index.md", front_matter([f"number: {number}", f'title: "Chapter {number}"']))
        write_records_for_chancery(out, reg)
    else:
        write_registries_for_hugo(out, reg)
    if args.format == "hugo":
        out.write("config.toml", HUGO_CONFIG)
        out.write("content/_index.md", front_matter(['title: "Diplomatic Bluebook"']) + "\nThe chapters of the report.\n")
        for number, chapter in enumerate(chapters, 1):
            out.write(f"content/{chapter}/_index.md", front_matter([f'title: "Chapter {number}"', f"weight: {number}"]))
        for name, text in HUGO_LAYOUTS.items():
            out.write(f"layouts/_default/{name}", text)
        out.write("static/style.css", HUGO_STYLE)

    references = {key: sum(len(s[key]) for s in sections) for key in ("countries", "officials", "agreements")}
    print(json.dumps({"sections": n, "chapters": len(chapters), "countries": len(reg.countries),
                      "officials": len(reg.officials), "agreements": len(reg.agreements),
                      "references": references, "bytes_written": out.bytes, "format": args.format,
                      "seed": args.seed, "out": args.out}))


if __name__ == "__main__":
    main()
