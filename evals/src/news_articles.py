"""The ten shared news articles (`../shared/texts/`, read from there, never copied) by a short key, for the scripts
that write question sets over them."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TEXTS = REPO.parent / "shared" / "texts"
ARTICLES = {"fat": "dance-music-not-dead-says-fatboy.txt", "dis": "disaster-claims-less-than-10bn.txt",
            "how": "howard-unveils-tory-asylum-plans.txt", "ink": "ink-helps-drive-democracy-in-asia.txt",
            "irq": "iraqi-voters-turn-to-economic-issues.txt", "mps": "mps-murder-sentence-concern.txt",
            "par": "parliament-s-record-of-scandal.txt", "rad": "radcliffe-tackles-marathon-tasks.txt",
            "ric": "rich-pickings-for-hi-tech-thieves.txt", "man": "ten-year-tragedy-of-missing-manic.txt"}


def texts() -> dict[str, str]:
    """Each article's text by its key."""
    return {key: (TEXTS / name).read_text("utf-8") for key, name in ARTICLES.items()}
