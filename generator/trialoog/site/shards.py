"""Shards: a cohort's students split over N builds (CI runners), each the same every time.

`trialoog build --shard K/N` builds the students whose id hashes to shard K; `trialoog merge`
puts the shards' sites together and builds the overview (trialoog.site.builder.merge_sites).
The split depends on the student's id alone (SHA-256, not Python's salted hash()), so a student
lands in the same shard on every runner, on every commit, whatever the others do; adding a
student moves nobody else. Shards are uneven for small cohorts (hashing is not dealing cards);
from a few hundred students on they are within a few percent of each other.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from trialoog.errors import UsageError

_WRITTEN = re.compile(r"\s*(\d+)\s*/\s*(\d+)\s*")


@dataclass(frozen=True)
class Shard:
    number: int  # 1 … count
    count: int

    def holds(self, student_id: str) -> bool:
        return shard_of(student_id, self.count) == self.number

    def __str__(self) -> str:
        return f"{self.number}/{self.count}"


def shard_of(student_id: str, count: int) -> int:
    """The shard (1 … count) that `student_id` always lands in."""
    digest = hashlib.sha256(student_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % count + 1


def parse_shard(text: str) -> Shard:
    """'2/4' → Shard(2, 4); anything else is a Dutch usage error."""
    found = _WRITTEN.fullmatch(text or "")
    if not found:
        raise UsageError(f"--shard '{text}' is geen K/N: schrijf bijvoorbeeld --shard 2/4 (het tweede van vier delen)")
    number, count = int(found[1]), int(found[2])
    if not 1 <= number <= count:
        raise UsageError(f"--shard {number}/{count}: K moet tussen 1 en {count} liggen")
    return Shard(number, count)
