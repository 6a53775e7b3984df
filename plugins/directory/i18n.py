"""What the directory says, German and English. KB file errors reuse kb_file's English."""

from __future__ import annotations

from plugins.directory.kb_file import MESSAGES as KB_FILE_ENGLISH

_DE_KB_ERRORS = {
    "directory.kb.too_large": "die Datei hat {size} Bytes, erlaubt sind höchstens {limit}",
    "directory.kb.yaml_syntax": "kein gültiges YAML; der YAML-Leser meldet: {problem}",
    "directory.kb.empty_file": "die Datei ist leer (oder enthält nur Kommentare); sie braucht "
    "mindestens 'networks:'",
    "directory.kb.yaml.unexpected_end": "die Datei endet mitten in einem Eintrag (eine Liste "
    "[ … ] oder {{ … }} nicht geschlossen?)",
    "directory.kb.yaml.unclosed_list": "eine hier mit [ begonnene Liste wird nicht mit ] "
    "geschlossen, oder zwischen ihren Einträgen fehlt ein Komma",
    "directory.kb.yaml.unclosed_mapping": "ein hier mit {{ begonnener Eintrag wird nicht mit }} "
    "geschlossen, oder zwischen seinen Feldern fehlt ein Komma",
    "directory.kb.yaml.unclosed_quote": "ein hier mit einem Anführungszeichen begonnener Text "
    "wird nicht geschlossen",
    "directory.kb.yaml.tab": "diese Zeile ist mit einem Tabulator eingerückt; YAML wird nur mit "
    "Leerzeichen eingerückt",
    "directory.kb.yaml.bad_character": "ein Wert kann nicht mit {char} beginnen; bitte den Wert "
    "in Anführungszeichen setzen",
    "directory.kb.yaml.colon": "hier steht ein Doppelpunkt mit Leerzeichen in einem Wert; einen "
    "Text mit ': ' bitte in Anführungszeichen setzen",
    "directory.kb.yaml.missing_colon": "hier fehlt der Doppelpunkt nach einem Schlüssel "
    "(schlüssel: wert)",
    "directory.kb.yaml.indentation": "die Einrückung stimmt hier nicht: Einträge einer Ebene "
    "beginnen in derselben Spalte, Listeneinträge mit '- '",
    "directory.kb.yaml.missing_value": "hier fehlt ein Wert (zwei Kommas hintereinander?)",
    "directory.kb.yaml.escape": "unbekannte Escape-Folge mit \\ in doppelten "
    "Anführungszeichen; einen Text mit \\ bitte in einfache Anführungszeichen setzen",
    "directory.kb.yaml.documents": "die Datei enthält mehrere YAML-Dokumente (---); erlaubt ist "
    "eines",
    "directory.kb.yaml.control_character": "die Datei enthält das Steuerzeichen {char}, das YAML "
    "nicht erlaubt",
    "directory.kb.alias": "{path}: Anker und Aliase (& und *) sind nicht erlaubt",
    "directory.kb.duplicate_key": "{path}: Schlüssel '{key}' kommt doppelt vor",
    "directory.kb.expected_mapping": "{path}: erwartet werden Einträge der Form 'schlüssel: wert'",
    "directory.kb.expected_list": "{path}: erwartet wird eine Liste",
    "directory.kb.expected_text": "{path}: erwartet wird ein Text",
    "directory.kb.unknown_key": "{path}: unbekannter Schlüssel '{key}' (erlaubt: {allowed})",
    "directory.kb.unknown_key_suggestion": "{path}: unbekannter Schlüssel '{key}' – gemeint "
    "ist wohl '{suggestion}'?",
    "directory.kb.missing_field": "{path}: Pflichtfeld '{field}' fehlt",
    "directory.kb.empty_value": "{path}: '{field}' darf nicht leer sein",
    "directory.kb.too_long": "{path}: '{field}' ist länger als {limit} Zeichen",
    "directory.kb.too_many": "{path}: mehr als {limit} Einträge",
    "directory.kb.control_characters": "{path}: '{field}' enthält Steuerzeichen",
    "directory.kb.bad_id": "{path}: die id '{value}' darf nur a-z, 0-9 und '-' enthalten",
    "directory.kb.duplicate_id": "{path}: die id '{value}' wird schon in Zeile {first_line} "
    "verwendet",
    "directory.kb.duplicate_contact": "{path}: Kontakt '{value}' steht doppelt im Netzwerk "
    "'{network}' (zuerst in Zeile {first_line})",
    "directory.kb.duplicate_entry": "{path}: '{value}' steht doppelt (zuerst in Zeile "
    "{first_line})",
    "directory.kb.bad_matrix": "{path}: '{value}' ist keine Matrix-ID wie @name:server.org",
    "directory.kb.bad_email": "{path}: '{value}' ist keine E-Mail-Adresse",
    "directory.kb.bad_url": "{path}: '{value}' ist keine http://- oder https://-Adresse",
    "directory.kb.bad_phone": "{path}: '{value}' ist keine Telefonnummer",
    "directory.kb.synonym_group_too_small": "{path}: eine Synonymgruppe braucht mindestens "
    "zwei Wörter",
    "directory.kb.too_many_errors": "mehr als {limit} Fehler; die übrigen werden nicht gezeigt",
}

DE = {
    "directory.title": "Wer macht was",
    "directory.cmd.who": "Findet die Netzwerke und Ansprechpartner zu einem Thema.",
    "directory.cmd.network": "Zeigt das Profil eines Netzwerks.",
    "directory.cmd.networks": "Listet alle Netzwerke mit ihren Themen.",
    "directory.cmd.topic_add": "Fügt einem Netzwerk (id, Kurz- oder voller Name) ein Thema "
    "oder mehrere, durch Kommas getrennt, hinzu (Netzwerk-Kontakte, Admins).",
    "directory.cmd.topic_remove": "Entfernt ein Thema oder mehrere eines Netzwerks.",
    "directory.cmd.contact_add": "Fügt einem Netzwerk (id, Kurz- oder voller Name) einen "
    "Ansprechpartner hinzu.",
    "directory.cmd.contact_remove": "Entfernt einen Ansprechpartner eines Netzwerks.",
    "directory.usage.who": "<Thema>",
    "directory.usage.cli_who": 'lotse kb who "<Thema>" [--json] [--limit N]',
    "directory.usage.network": "<Netzwerk>",
    "directory.usage.topic": "<Netzwerk> <Thema>[, <Thema> …]",
    "directory.usage.contact_add": "<Netzwerk> <@matrix:id> <Name>",
    "directory.usage.contact_remove": "<Netzwerk> <@matrix:id>",
    "directory.who.header": "**Zuständig für {query}:**",
    "directory.who.matched": "passt zu: {matched}",
    "directory.who.matched_field": "passt laut {matched}",
    "directory.matched.name": "Name: {text}",
    "directory.matched.role": "Rolle: {text}",
    "directory.matched.description": "Beschreibung: {text}",
    "directory.who.contacts": "Ansprechpartner: {contacts}",
    "directory.who.no_contacts": "keine Ansprechpartner hinterlegt",
    "directory.who.none": "Zu {query} habe ich kein Netzwerk gefunden.",
    "directory.who.closest": "Ähnliche Themen: {topics}",
    "directory.who.empty_kb": "Das Verzeichnis ist noch leer. Ein Admin kann es mit "
    "`lotse kb import DATEI.yaml` füllen.",
    "directory.network.unknown": "Das Netzwerk {name} kenne ich nicht. Alle Netzwerke: "
    "`{prefix}netzwerke`",
    "directory.network.ambiguous": "Welches Netzwerk meinen Sie mit {name}? Bitte genau "
    "angeben, etwa: {ids}",
    "directory.contact.too_many": "{network} hat schon {limit} Ansprechpartner.",
    "directory.network.topics": "Themen: {topics}",
    "directory.network.offers": "Angebote: {offers}",
    "directory.network.contacts": "Ansprechpartner:",
    "directory.networks.header": "**{count} Netzwerke**",
    "directory.not_manager": "Das dürfen nur die Ansprechpartner von {network} und Admins.",
    "directory.topic.added": "Thema {topic} bei {network} hinzugefügt.",
    "directory.topic.exists": "{network} hat das Thema {topic} schon.",
    "directory.topic.removed": "Thema {topic} bei {network} entfernt.",
    "directory.topic.missing": "{network} hat kein Thema {topic}.",
    "directory.topic.too_long": "Ein Thema darf höchstens {limit} Zeichen lang sein.",
    "directory.topic.too_many": "{network} hat schon {limit} Themen.",
    "directory.topic.too_many_more": "{network} hat {count} Themen; {more} weitere wären mehr "
    "als die erlaubten {limit}.",
    "directory.topic.added_many": "Themen {topics} bei {network} hinzugefügt.",
    "directory.topic.exists_many": "{network} hat die Themen {topics} schon.",
    "directory.topic.removed_many": "Themen {topics} bei {network} entfernt.",
    "directory.topic.missing_many": "{network} hat die Themen {topics} nicht.",
    "directory.topic.unsearchable": "Das Thema {topic} könnte niemand finden: es braucht ein "
    "Wort aus mindestens zwei Buchstaben oder Ziffern, das kein Füllwort wie „für“ oder "
    "„und“ ist.",
    "directory.edit.control_characters": "Der Text enthält unsichtbare Steuerzeichen (etwa "
    "aus einer Kopie aus dem Web); bitte ohne sie noch einmal eingeben.",
    "directory.contact.bad_matrix": "{user} ist keine Matrix-ID wie @name:server.org.",
    "directory.contact.name_too_long": "Ein Name darf höchstens {limit} Zeichen lang sein.",
    "directory.contact.added": "{contact} ist jetzt Ansprechpartner bei {network}.",
    "directory.contact.exists": "{contact} ist schon Ansprechpartner bei {network}.",
    "directory.contact.removed": "{contact} ist kein Ansprechpartner bei {network} mehr.",
    "directory.contact.missing": "{contact} ist kein Ansprechpartner bei {network}.",
    "directory.import.done": "Wissensbasis importiert: {added} neu, {updated} geändert, "
    "{removed} entfernt, {unchanged} unverändert.",
    "directory.import.failed": "Die Datei {file} wurde nicht importiert ({count} Fehler):",
    "directory.import.line": "Zeile {line}: {message}",
    "directory.import.not_utf8": "{file} ist keine UTF-8-Textdatei (Zeile {line}); bitte als "
    "UTF-8 speichern.",
    **_DE_KB_ERRORS,
}

EN = {
    "directory.title": "Who does what",
    "directory.cmd.who": "Finds the networks and contacts for a topic.",
    "directory.cmd.network": "Shows a network's profile.",
    "directory.cmd.networks": "Lists all networks with their topics.",
    "directory.cmd.topic_add": "Adds one topic or several, separated by commas, to a network "
    "(id, short or full name; the network's contacts, admins).",
    "directory.cmd.topic_remove": "Removes one topic or several from a network.",
    "directory.cmd.contact_add": "Adds a contact person to a network (id, short or full name).",
    "directory.cmd.contact_remove": "Removes a contact person from a network.",
    "directory.usage.who": "<topic>",
    "directory.usage.cli_who": 'lotse kb who "<topic>" [--json] [--limit N]',
    "directory.usage.network": "<network>",
    "directory.usage.topic": "<network> <topic>[, <topic> …]",
    "directory.usage.contact_add": "<network> <@matrix:id> <name>",
    "directory.usage.contact_remove": "<network> <@matrix:id>",
    "directory.who.header": "**Who handles {query}:**",
    "directory.who.matched": "matches: {matched}",
    "directory.who.matched_field": "matches in {matched}",
    "directory.matched.name": "Name: {text}",
    "directory.matched.role": "Role: {text}",
    "directory.matched.description": "Description: {text}",
    "directory.who.contacts": "Contacts: {contacts}",
    "directory.who.no_contacts": "no contacts on record",
    "directory.who.none": "I found no network for {query}.",
    "directory.who.closest": "Similar topics: {topics}",
    "directory.who.empty_kb": "The directory is still empty. An admin can fill it with "
    "`lotse kb import FILE.yaml`.",
    "directory.network.unknown": "I don't know the network {name}. All networks: "
    "`{prefix}networks`",
    "directory.network.ambiguous": "Which network do you mean by {name}? Please name it "
    "exactly, e.g.: {ids}",
    "directory.contact.too_many": "{network} already has {limit} contacts.",
    "directory.network.topics": "Topics: {topics}",
    "directory.network.offers": "Offers: {offers}",
    "directory.network.contacts": "Contacts:",
    "directory.networks.header": "**{count} networks**",
    "directory.not_manager": "Only the contacts of {network} and admins may do that.",
    "directory.topic.added": "Added topic {topic} to {network}.",
    "directory.topic.exists": "{network} already has the topic {topic}.",
    "directory.topic.removed": "Removed topic {topic} from {network}.",
    "directory.topic.missing": "{network} has no topic {topic}.",
    "directory.topic.too_long": "A topic may be at most {limit} characters long.",
    "directory.topic.too_many": "{network} already has {limit} topics.",
    "directory.topic.too_many_more": "{network} has {count} topics; {more} more would be more "
    "than the {limit} allowed.",
    "directory.topic.added_many": "Added topics {topics} to {network}.",
    "directory.topic.exists_many": "{network} already has the topics {topics}.",
    "directory.topic.removed_many": "Removed topics {topics} from {network}.",
    "directory.topic.missing_many": "{network} does not have the topics {topics}.",
    "directory.topic.unsearchable": "Nobody could find the topic {topic}: it needs a word of "
    'at least two letters or digits that is not a filler like "for" or "and".',
    "directory.edit.control_characters": "The text contains invisible control characters "
    "(often from copying it off the web); please type it again without them.",
    "directory.contact.bad_matrix": "{user} is not a Matrix id like @name:server.org.",
    "directory.contact.name_too_long": "A name may be at most {limit} characters long.",
    "directory.contact.added": "{contact} is now a contact of {network}.",
    "directory.contact.exists": "{contact} is already a contact of {network}.",
    "directory.contact.removed": "{contact} is no longer a contact of {network}.",
    "directory.contact.missing": "{contact} is not a contact of {network}.",
    "directory.import.done": "Knowledge base imported: {added} new, {updated} changed, "
    "{removed} removed, {unchanged} unchanged.",
    "directory.import.failed": "The file {file} was not imported (errors: {count}):",
    "directory.import.line": "line {line}: {message}",
    "directory.import.not_utf8": "{file} is not a UTF-8 text file (line {line}); please save it "
    "as UTF-8.",
    **KB_FILE_ENGLISH,
}

CATALOGUE = {"de": DE, "en": EN}
