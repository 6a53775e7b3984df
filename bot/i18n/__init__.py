"""Message catalogues: every string the bot says, in German (default) and English.

Each plugin brings its own `{"de": {...}, "en": {...}}` mapping; keys are namespaced by
plugin (`tickets.created`). Placeholders use str.format names. A message with a `count`
may have a singular form under `<key>.one`, used when count is 1 ("1 Termin", not
"1 Termine"); German and English need no other plural forms.
"""

from __future__ import annotations

import string
from collections.abc import Mapping

from bot.i18n import de, en

LANGUAGES = ("de", "en")
Catalogue = Mapping[str, Mapping[str, str]]


class Catalogues:
    """All catalogues of the running bot, merged; owned by the app, not global."""

    def __init__(self) -> None:
        self._strings: dict[str, dict[str, str]] = {lang: {} for lang in LANGUAGES}
        self.add({"de": de.STRINGS, "en": en.STRINGS})

    def add(self, catalogue: Catalogue) -> None:
        for lang, strings in catalogue.items():
            if lang not in self._strings:
                raise ValueError(f"unsupported language {lang!r}")
            duplicate = set(strings) & set(self._strings[lang])
            if duplicate:
                raise ValueError(f"message keys defined twice: {sorted(duplicate)[:5]}")
            self._strings[lang].update(strings)

    def keys(self, lang: str) -> set[str]:
        return set(self._strings[lang])

    def raw(self, lang: str, key: str) -> str | None:
        return self._strings.get(lang, {}).get(key)

    def translate(self, lang: str, key: str, /, **params: object) -> str:
        if params.get("count") == 1 and self.raw(lang, key + ".one") is not None:
            key += ".one"
        template = self.raw(lang, key) or self.raw("de", key)
        if template is None:
            return key
        try:
            return template.format(**params)
        except (KeyError, IndexError, ValueError):
            # A broken translation must not take the bot down; show the template unformatted.
            return template

    def translator(self, lang: str) -> Translator:
        return Translator(self, lang if lang in LANGUAGES else "de")


class Translator:
    def __init__(self, catalogues: Catalogues, lang: str) -> None:
        self.catalogues = catalogues
        self.lang = lang

    def __call__(self, key: str, /, **params: object) -> str:
        return self.catalogues.translate(self.lang, key, **params)


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}
