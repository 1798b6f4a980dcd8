"""A file name written on macOS (decomposed, NFD) and referenced as any editor types it (composed, NFC)."""

from __future__ import annotations

import datetime as dt
import unicodedata

from conftest import STUDENT, image_bytes

from trialoog.site.views import StudentView

NFD = unicodedata.normalize("NFD", "bewijzen/crème-brûlée.jpg")
NFC = unicodedata.normalize("NFC", "crème-brûlée.jpg")


def test_a_decomposed_file_name_matches_its_composed_reference(cohort):
    assert NFD != "bewijzen/" + NFC
    cohort.write(f"{STUDENT}/{NFD}", image_bytes("JPEG"))
    cohort.entry("bewijzen/dessert.md", f"type: evidence\ntitle: Dessert\ndate: 2017-10-12\nattachments: [{NFC}]",
                 body=f"![het dessert]({NFC}) en [de foto]({NFC}).\n")
    cohort.entry("reflecties/tweede.md", f"type: reflection\ntitle: Tweede\ndate: 2017-10-13\nevidence: [../bewijzen/{NFC}]")
    assert [code for _, _, code in cohort.diagnostics() if code.startswith(("AT", "RF"))] == []

    loaded = cohort.load()
    view = StudentView(loaded, loaded.student(STUDENT), as_of=dt.date(2018, 3, 15))
    assert NFD in view.published_files  # the build copies the file as it is on disk
    body = view.body(view.by_id["bewijzen/dessert"])
    assert body.files == {NFD}
