"""Reads a vCard file with vobject (a vCard library of another project) and
prints what it found as JSON, so the end-to-end tests can check that the
export is readable by the usual tools and says what Leadline holds."""
import json
import sys

import vobject

cards = []
with open(sys.argv[1], encoding="utf-8") as f:
    for card in vobject.readComponents(f.read()):
        def values(name):
            return [c.value for c in card.contents.get(name, [])]

        org = values("org")
        cards.append(
            {
                "version": card.version.value,
                "fn": card.fn.value,
                "org": org[0][0] if org else "",
                "title": (values("title") or [""])[0],
                "email": (values("email") or [""])[0],
                "tel": (values("tel") or [""])[0],
                "url": (values("url") or [""])[0],
                "note": (values("note") or [""])[0],
                "categories": (values("categories") or [[]])[0],
            }
        )
print(json.dumps(cards, ensure_ascii=False))
