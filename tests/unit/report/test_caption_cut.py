"""``caption_of`` cuts a long name at a word's end, as the viewer draws it (hand-made names).

Before, it cut at 31 characters whatever was there, so the server's layout made room for
"PI3K/AKT/MTOR signalling (act…" where the viewer drew "PI3K/AKT/MTOR signalling…".
"""

from __future__ import annotations

import pytest

from medtwin.platform.caption_spacing import MAX_CAPTION, caption_of


@pytest.mark.parametrize(
    ("label", "caption"),
    [
        # counted by hand: the cut falls in "(activity", after 31 characters
        ("PI3K/AKT/MTOR signalling (activity +2.31)", "PI3K/AKT/MTOR signalling…"),
        ("CD4+/CD45RA+/CD25- Naive T (blood)", "CD4+/CD45RA+/CD25- Naive T…"),
        ("HP:0001945 Fever of unknown origin, recurrent", "HP:0001945 Fever of unknown…"),
        # 32 characters exactly: whole
        ("Hypoxia response in the lung abc", "Hypoxia response in the lung abc"),
        # a space at the 32nd character only: the words before it, no trailing space
        ("Interferon gamma signalling ab cd", "Interferon gamma signalling ab…"),
        # one word longer than the limit: cut inside it, the only place there is
        ("Supercalifragilisticexpialidociousness", "Supercalifragilisticexpialidoci…"),
    ],
)
def test_a_long_caption_ends_at_a_word(label: str, caption: str) -> None:
    assert caption_of(label, "id1") == caption
    assert len(caption_of(label, "id1")) <= MAX_CAPTION


def test_the_regulator_rank_follows_the_cut_caption() -> None:
    assert caption_of("NFKB1 and a very long description of it", "4790", 2) == (
        "NFKB1 and a very long…" + " #2"
    )
    assert caption_of("", "4790") == "4790"
    assert caption_of(" ", " ") == "(unnamed)"
