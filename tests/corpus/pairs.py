"""Resume/posting pairs of the corpus with a fit label, for the tailoring benches.

"strong": same profession and most requirements shown; "partial": related profession or
key requirements missing; "poor": a different field altogether.
"""

from __future__ import annotations

PAIRS: list[tuple[str, str, str]] = [
    ("r04", "p03", "strong"),
    ("r03", "p01", "strong"),
    ("r16", "p10", "strong"),
    ("r07", "p06", "strong"),
    ("r08", "p05", "strong"),
    ("r09", "p07", "strong"),
    ("r12", "p08", "strong"),
    ("r05", "p09", "strong"),
    ("r10", "p14", "strong"),
    ("r11", "p15", "strong"),
    ("r06", "p12", "strong"),
    ("r21", "p17", "strong"),
    ("r20", "p16", "strong"),
    ("r22", "p02", "partial"),
    ("r17", "p13", "partial"),
    ("r13", "p11", "partial"),
    ("r26", "p04", "partial"),
    ("r15", "p02", "poor"),
    ("r02", "p01", "poor"),
    ("r19", "p07", "poor"),
]
