"""Directory lookup on a large generated KB, next to SQLite FTS5 as a baseline.

    .venv/bin/python -m benchmarks.directory_lookup [--networks 10000] [--queries 1000]
    (or all benchmarks: .venv/bin/python -m benchmarks [--quick])

Generates a deterministic KB (seeded random) from a vocabulary of German words and
compounds, checks that it is a KB file `lotse kb import` accepts (dump, load), stores it
in a scratch SQLite database and starts the directory plugin on it, then times ~1,000
varied queries: plain topics, inflected forms, typos, several words, whole questions,
unseen compounds, synonyms and unknown words.

* `who_handles` is what users hit (`!wer`, plain questions, ticket suggestions): the
  per-call check of the KB version in the database, the search, the answer's values.
* `DirectoryIndex.search` alone: first pass (caches cold: every new word is matched,
  split and typo-corrected from scratch), second pass (warm), and without caches.
* The baseline is an in-memory FTS5 table over the same text queried with MATCH (words
  OR-ed, ranked by bm25): exact tokens only — no stems, compounds, synonyms or typos — so
  it is a floor for latency, not a competitor in quality.
* A room edit (`!thema add`) at this size: how long the event loop stalls while the index
  is rebuilt (in a worker thread), and how long until answers include the edit.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.cli import cli_plugin
from bot.config import Settings
from plugins.directory import DirectoryPlugin, service
from plugins.directory.kb import Contact, KnowledgeBase, Network
from plugins.directory.kb_file import MAX_FILE_BYTES, MAX_NETWORKS, dump_kb, load_kb
from plugins.directory.search import DirectoryIndex
from plugins.directory.text import Normaliser


def words(text: str) -> list[str]:
    return text.split()


MODIFIERS = words("""Wasser Wasserstoff Energie Holz Glas Keramik Kunststoff Metall Sensor Daten
Software Strom Wärme Kälte Licht Laser Medizin Pflege Gesundheit Lebensmittel Getränke Textil Faser
Papier Chemie Pharma Umwelt Abfall Verpackung Transport Lager Fahrzeug Motor Batterie Solar
Wind Brennstoff Roboter Maschinen Werkzeug Anlagen Qualität Bildungs Tourismus Hotel Kultur
Design Film Musik Handwerks Forst Wald Boden Luft Raumfahrt Satelliten Drohnen Halbleiter
Chip Elektronik Leiterplatten Kabel Funk Mobilfunk Bahn Schiff Flug Straßen Brücken Beton
Stahl Aluminium Kupfer Silizium Quanten Bio Agrar Milch Fleisch Brau Wein Obst Möbel Spiel
Sport Reise Tagungs Messe Klima Lärm Staub Öl Gas Dampf Druck Klebe Oberflächen Lack""")
HEADS = words("""technik wirtschaft verarbeitung recycling beratung management entwicklung forschung
systeme sicherheit herstellung prüfung handel dienstleistung logistik markt industrie
produktion speicher netze bau analytik messung fertigung versorgung planung""")
SIMPLE = words("""Logistik Sensorik Photonik Optik Robotik Automatisierung Digitalisierung
Nachhaltigkeit Kreislaufwirtschaft Leichtbau Fachkräftesicherung Ausbildung Weiterbildung Innovation
Existenzgründung Patente Zertifizierung Normung Exportförderung Mittelstand Elektromobilität
Telemedizin Diagnostik Implantate Spritzguss Extrusion Biotechnologie Bioökonomie""")
ADJECTIVES = words("""Grüne Digitale Nachhaltige Technische Regionale Industrielle Smarte Additive
Erneuerbare Klinische""")
REGIONS = words("""Erfurt Jena Gera Weimar Gotha Suhl Ilmenau Nordhausen Eisenach Saalfeld Altenburg
Sonneberg Meiningen Arnstadt Apolda Sömmerda""")
FIRST = words("Anna Jörg Katrin Thomas Lena Markus Sabine Felix Martin Julia Peter Claudia")
LAST = words("Schmidt Wagner Vogel Reuter Hoffmann Bergmann Krüger Neumann Schulze Fischer")
SYNONYMS = [
    ("Photovoltaik", "PV", "Solarstrom"),
    ("Wasserstoff", "H2"),
    ("Künstliche Intelligenz", "KI"),
    ("Elektromobilität", "E-Mobilität"),
    ("Lieferkettengesetz", "LkSG"),
    ("Fachkräftesicherung", "Fachkräftemangel"),
    ("Kreislaufwirtschaft", "Circular Economy"),
]
OPENINGS = (
    "Unternehmen und Forschung für",
    "Wir vernetzen Betriebe aus",
    "Hersteller, Zulieferer und Dienstleister rund um",
    "Gemeinsame Projekte zu",
    "Kompetenz und Erfahrungsaustausch in",
    "Anlaufstelle für Fragen zu",
)
QUESTIONS = ("Wer kümmert sich um {}?", "Wer ist zuständig für {}?", "who handles {}?")


def compound(rng: random.Random) -> str:
    modifier, head = rng.choice(MODIFIERS), rng.choice(HEADS)
    link = "s" if modifier.endswith(("ung", "heit", "keit")) else ""
    return f"{modifier}{link}{head}"


def topic(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.55:
        return compound(rng)
    if roll < 0.8:
        return rng.choice(SIMPLE + MODIFIERS)
    return f"{rng.choice(ADJECTIVES)} {rng.choice([compound(rng), *SIMPLE])}"


def generate_kb(count: int, seed: int = 7) -> KnowledgeBase:
    rng = random.Random(seed)
    networks = []
    for n in range(count):
        topics = tuple(dict.fromkeys(topic(rng) for _ in range(rng.randint(4, 10))))
        contacts = tuple(
            Contact(
                name=f"{rng.choice(FIRST)} {rng.choice(LAST)} {n}-{c}",
                role="Netzwerkmanagerin",
                matrix=f"@user{n}x{c}:example.org",
                email=f"user{n}x{c}@example.org",
                topics=tuple(dict.fromkeys(rng.sample(topics, min(2, len(topics))))),
            )
            for c in range(rng.randint(1, 3))
        )
        words = [rng.choice(MODIFIERS + SIMPLE) for _ in range(rng.randint(4, 12))]
        networks.append(
            Network(
                id=f"net-{n:05d}",
                name=f"Netzwerk {topics[0]} {rng.choice(REGIONS)}",
                short="".join(t[0] for t in topics[:4]).upper() + rng.choice(["", "Th", "-T"]),
                url=f"https://net{n}.example.org",
                description=f"{rng.choice(OPENINGS)} {', '.join(words)}.",
                topics=topics,
                offers=(f"{rng.choice(topics)}-Beratung", f"Stammtisch {rng.choice(topics)}"),
                contacts=contacts,
            )
        )
    return KnowledgeBase(networks=tuple(networks), synonyms=tuple(SYNONYMS))


def typo(word: str, rng: random.Random) -> str:
    if len(word) < 6:
        return word
    i = rng.randrange(1, len(word) - 2)
    kind = rng.randrange(3)
    if kind == 0:  # swapped neighbours
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == 1:  # letter left out
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]  # letter doubled


def generate_queries(kb: KnowledgeBase, count: int, seed: int = 11) -> list[str]:
    rng = random.Random(seed)
    topics = [t for network in kb.networks[:2000] for t in network.topics]
    queries = []
    for _ in range(count):
        roll = rng.random()
        t = rng.choice(topics)
        if roll < 0.2:
            q = t
        elif roll < 0.35:
            q = t + rng.choice(["en", "n", "e", "s"])  # inflected (or plausibly so)
        elif roll < 0.5:
            q = typo(t, rng)
        elif roll < 0.6:
            q = f"{t} {rng.choice(topics)}"
        elif roll < 0.75:
            q = rng.choice(QUESTIONS).format(t)
        elif roll < 0.85:
            q = compound(rng) + rng.choice(["", "en", "anlage"])  # often unseen compounds
        elif roll < 0.92:
            q = rng.choice(rng.choice(SYNONYMS))
        else:
            q = "".join(rng.choice("abcdefghiklmnoprstuvw") for _ in range(rng.randint(5, 12)))
        queries.append(q)
    return queries


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


@dataclass
class Timings:
    wall: list[float] = field(default_factory=list)  # ms
    cpu: list[float] = field(default_factory=list)  # ms of this process's CPU time


def timed(fn: Callable[[str], object], queries: list[str]) -> Timings:
    """Each query once. CPU time is reported next to wall time because a shared machine's
    other load inflates wall time without saying anything about this code."""
    timings = Timings()
    for q in queries:
        wall, cpu = time.perf_counter(), time.process_time()
        fn(q)
        timings.cpu.append((time.process_time() - cpu) * 1000)
        timings.wall.append((time.perf_counter() - wall) * 1000)
    return timings


def fts_baseline(kb: KnowledgeBase) -> tuple[sqlite3.Connection, float]:
    start = time.perf_counter()
    db = sqlite3.connect(":memory:")
    db.execute(
        "CREATE VIRTUAL TABLE fts USING fts5(id UNINDEXED, body,"
        " tokenize = 'unicode61 remove_diacritics 2')"
    )
    rows = []
    for n in kb.networks:
        parts = [n.name, n.short or "", n.description or "", *n.topics, *n.offers]
        parts += [t for c in n.contacts for t in c.topics]
        rows.append((n.id, " ".join(parts)))
    db.executemany("INSERT INTO fts VALUES (?, ?)", rows)
    return db, time.perf_counter() - start


def fts_search(db: sqlite3.Connection, normaliser: Normaliser) -> Callable[[str], object]:
    def search(query: str) -> object:
        words = [w.text for w in normaliser.words(query)]
        if not words:
            return []
        match = " OR ".join('"' + w.replace('"', "") + '"' for w in words)
        return db.execute(
            "SELECT id FROM fts WHERE fts MATCH ? ORDER BY rank LIMIT 3", (match,)
        ).fetchall()

    return search


def report(label: str, t: Timings) -> None:
    print(
        f"  {label:<36} wall p50 {percentile(t.wall, 50):6.3f}  p99 {percentile(t.wall, 99):6.3f}"
        f"  max {max(t.wall):6.2f}   cpu p50 {percentile(t.cpu, 50):6.3f}"
        f"  p99 {percentile(t.cpu, 99):6.3f}  mean {statistics.fmean(t.cpu):6.3f}"
    )


async def plugin_on(kb: KnowledgeBase, data_dir: Path) -> DirectoryPlugin:
    """The directory plugin, started on a scratch SQLite database holding `kb`."""
    settings = Settings(
        data_dir=data_dir,
        database_url=f"sqlite:///{data_dir / 'lotse.db'}",
        plugins=["directory"],
    )
    plugin = await cli_plugin(settings, DirectoryPlugin)
    with plugin.store.transaction() as session:
        service.replace_all(session, kb, datetime.now(UTC))
    await plugin.index_ready()
    plugin.snapshot()  # the imported KB, indexed (at this size: in a worker thread)
    await plugin.index_ready()
    return plugin


async def room_edit(plugin: DirectoryPlugin) -> tuple[float, float, bool]:
    """`!thema add` as the room does it: (the event loop's longest stall in ms, seconds
    until answers include the edit, whether they do)."""
    stalls: list[float] = []
    running = True

    async def ticker() -> None:  # what every other room and command would notice
        last = time.perf_counter()
        while running:
            await asyncio.sleep(0.005)
            now = time.perf_counter()
            stalls.append((now - last - 0.005) * 1000)
            last = now

    tick = asyncio.create_task(ticker())
    await asyncio.sleep(0.05)
    started = time.perf_counter()
    with plugin.store.transaction() as session:
        network = plugin.snapshot().kb.networks[0]
        service.add_topic(session, network, "Quantenkryptografie", datetime.now(UTC))
        plugin._rebuild_after_commit(session)  # as the edit commands do
    await asyncio.sleep(0)  # the commit's callback runs
    plugin.snapshot()
    await plugin.index_ready()
    ready = time.perf_counter() - started
    found = [h.network_id for h in plugin.who_handles("Quantenkryptografie")] == [network.id]
    running = False
    await tick
    return max(stalls), ready, found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--networks", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=1_000)
    args = parser.parse_args()
    return asyncio.run(run(args.networks, args.queries))


async def run(networks: int, count: int) -> int:
    kb = generate_kb(networks)
    queries = generate_queries(kb, count)
    topics = sum(len(n.topics) for n in kb.networks)
    print(f"KB: {len(kb.networks)} networks, {topics} topics; {len(queries)} queries")
    print(f"load average at the start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")

    text = dump_kb(kb)
    started = time.perf_counter()
    ok = load_kb(text) == kb
    size = len(text.encode("utf-8"))
    print(
        f"KB file: {size / 1e6:.1f} MB (limit {MAX_FILE_BYTES / 1e6:.1f} MB, "
        f"{MAX_NETWORKS} networks), load_kb {time.perf_counter() - started:.1f} s, "
        f"{'round trip exact' if ok else 'ROUND TRIP FAILED'}"
    )

    wall, cpu = time.perf_counter(), time.process_time()
    index = DirectoryIndex.build(kb)
    build_wall, build_cpu = time.perf_counter() - wall, time.process_time() - cpu
    uncached = DirectoryIndex.build(kb, cache_words=0)
    db, fts_build = fts_baseline(kb)
    print(
        f"build: DirectoryIndex {build_wall:.2f} s (CPU {build_cpu:.2f} s), FTS5 {fts_build:.2f} s"
    )

    with tempfile.TemporaryDirectory() as scratch:
        started = time.perf_counter()
        plugin = await plugin_on(kb, Path(scratch))
        print(f"store: import into SQLite and index {time.perf_counter() - started:.1f} s")

        print("lookup latency per query in ms:")
        users = timed(plugin.who_handles, queries)
        report("who_handles, first pass (cold)", users)
        report("who_handles, second pass (warm)", timed(plugin.who_handles, queries))
        cold = timed(index.search, queries)
        report("DirectoryIndex.search, cold", cold)
        slowest = max(range(len(queries)), key=cold.wall.__getitem__)
        print(f"  (slowest cold query: {queries[slowest]!r}, {cold.wall[slowest]:.1f} ms)")
        report("DirectoryIndex.search, warm", timed(index.search, queries))
        report("DirectoryIndex.search, caches off", timed(uncached.search, queries))
        fts = timed(fts_search(db, Normaliser()), queries)
        report("SQLite FTS5 MATCH (baseline)", fts)
        for label, ours in (("who_handles cold", users), ("search cold", cold)):
            for kind in ("wall", "cpu"):
                mine, theirs = getattr(ours, kind), getattr(fts, kind)
                ratio = percentile(mine, 99) / max(percentile(theirs, 99), 1e-6)
                verdict = "met" if percentile(mine, 99) <= 5.0 else "NOT met"
                print(
                    f"  {label:<16} {kind:>4}: p99 {percentile(mine, 99):.2f} ms = "
                    f"{ratio:.1f}x FTS5; goal p99 <= 5 ms {verdict}"
                )

        stall, ready, found = await room_edit(plugin)
        print(
            f"room edit (!thema add): event loop stalled at most {stall:.0f} ms; the edit "
            f"answers after {ready:.1f} s ({'found' if found else 'NOT FOUND'})"
        )
        await plugin.stop()
        plugin.store.dispose()
    return 0 if ok and found else 1


if __name__ == "__main__":
    raise SystemExit(main())
