"""What the events plugin says, German and English, including the service layer's error keys."""

from __future__ import annotations

DE = {
    "events.weekdays": "Montag,Dienstag,Mittwoch,Donnerstag,Freitag,Samstag,Sonntag",
    "events.day": "{weekday}, {day:02d}.{month:02d}.",
    "events.day_year": "{weekday}, {day:02d}.{month:02d}.{year}",
    "events.date": "{day:02d}.{month:02d}.{year}",
    "events.until": "bis {date}",
    "events.ongoing": "läuft bis {date}",
    "events.entered_by": "eingetragen von {user}",
    "events.title": "Termine",
    "events.cmd.list": "Zeigt die kommenden Termine aller Netzwerke (Standard: 7 Tage).",
    "events.cmd.add": "Trägt einen Termin ein: Datum [Uhrzeit] Titel | Ort | Link, z. B. "
    "`Di., 8.12. 14-16 Uhr Stammtisch | Erfurt` oder `24. Dezember Feier`. Eine Endzeit vor "
    "der Anfangszeit heißt: am nächsten Morgen, bis höchstens 6 Uhr (`22-2 Uhr`); ein Ende an "
    "einem anderen Tag mit Datum: `25.12. 22:00 – 26.12. 14:00 Schicht`.",
    "events.cmd.remove": "Löscht einen eingetragenen Termin.",
    "events.cmd.source_add": "Fügt einen Kalender-Feed (ICS/webcal) hinzu.",
    "events.cmd.source_list": "Listet die Kalender-Quellen und ihren Zustand.",
    "events.cmd.source_remove": "Entfernt eine Kalender-Quelle.",
    "events.usage.list": "[N Tage|woche|monat]",
    "events.usage.add": "<Datum> [Uhrzeit[-Ende]] <Titel> [| Ort] [| Link]",
    "events.usage.remove": "<Nummer>",
    "events.usage.source_add": "<Name> <URL>",
    "events.usage.source_remove": "<Name>",
    "events.list.header": "**Termine {start} bis {end}**",
    "events.list.none": "Von {start} bis {end}: keine Termine.",
    "events.list.more": "… und {count} weitere.",
    "events.list.more_later": "… und {count} weitere an späteren Tagen.",
    "events.list.bad_period": "{value} verstehe ich nicht. Beispiele: `14`, `14 Tage`, "
    "`woche`, `monat` (höchstens {max} Tage).",
    "events.all_day": "ganztägig",
    "events.digest.header": "**Wochenüberblick: Termine {start} bis {end}**",
    "events.digest.no_events": "Diese Woche stehen keine Termine an.",
    "events.digest.stale": "**Anfragen, die schon lange offen sind**",
    "events.week.none": "Diese Woche keine Termine.",
    "events.added": "Termin Nr. {number} eingetragen: {when} – {title}",
    "events.added_past": "⚠️ Das Datum liegt in der Vergangenheit; im Wochenüberblick erscheint "
    "der Termin nicht. Falls ein Tippfehler: `{prefix}termin remove` und neu eintragen.",
    "events.removed": "Termin Nr. {number} gelöscht: {title}",
    "events.remove.unknown": "Einen eingetragenen Termin Nr. {number} gibt es nicht.",
    "events.remove.not_yours": "Termin Nr. {number} hat jemand anders eingetragen; löschen "
    "dürfen das nur diese Person und Admins.",
    "events.source.added": "Quelle {name} hinzugefügt: {count} Termine geladen.",
    "events.source.added_failed": "Quelle {name} hinzugefügt, aber der erste Abruf schlug "
    "fehl: {problem}. Ich versuche es beim nächsten Abruf wieder.",
    "events.source.exists": "Eine Quelle {name} gibt es schon.",
    "events.source.bad_url": "Diese Adresse kann ich nicht abrufen: {problem}",
    "events.source.url_too_long": "Die Adresse ist zu lang (höchstens {max} Zeichen).",
    "events.source.bad_name": "Der Name darf 1 bis {max} Zeichen lang sein und keine "
    "Leerzeichen enthalten.",
    "events.source.too_many": "Es gibt schon {max} Quellen.",
    "events.source.removed": "Quelle {name} entfernt.",
    "events.source.unknown": "Eine Quelle {name} gibt es nicht.",
    "events.source.none": "Noch keine Kalender-Quellen. Ein Admin fügt sie mit "
    "`{prefix}quelle add <Name> <URL>` hinzu.",
    "events.source.header": "**Kalender-Quellen ({count})**",
    "events.source.line_ok": "{name}: {count} Termine, zuletzt aktualisiert {when}",
    "events.source.line_never": "{name}: noch nicht abgerufen",
    "events.source.line_failing": "{name}: Fehler – {problem} (letzter Erfolg: {when})",
    "events.source.file": "{name}: importierte Datei, {count} Termine",
    "events.source.never": "nie",
    "events.feed.failed_report": "⚠️ Der Kalender {name} lässt sich nicht abrufen: {problem}. "
    "Die zuletzt geladenen Termine bleiben erhalten; ich melde mich, wenn er wieder geht.",
    "events.feed.recovered_report": "✅ Der Kalender {name} funktioniert wieder.",
    "events.import.done": "{count} Termine aus {file} als Quelle {name} importiert.",
    "events.import.failed": "{file} wurde nicht importiert: {problem}",
    "events.fetch.summary": "{ok} aktualisiert, {not_modified} unverändert, {failed} mit Fehler.",
    # service-layer errors
    "events.missing_date": "Am Anfang fehlt das Datum (z. B. 25.11.2026, morgen, Montag).",
    "events.bad_date": "{value} ist kein Datum, das ich verstehe.",
    "events.date_out_of_range": "{value} liegt zu weit in der Vergangenheit oder Zukunft.",
    "events.bad_time": "{value} ist keine Uhrzeit, die ich verstehe.",
    "events.bad_time_range": "Die Endzeit {end} liegt nicht nach der Anfangszeit {start}.",
    "events.end_before_start": "Die Endzeit {end} liegt vor der Anfangszeit {start}. Über "
    "Mitternacht geht ein Termin ohne Enddatum bis höchstens 6:00 Uhr (z. B. `22-2 Uhr`); was "
    "länger dauert, bitte mit Enddatum eintragen (z. B. `25.12. 22:00 – 26.12. 14:00`).",
    "events.range_with_time": "Mehrere Tage mit Uhrzeit: bitte Beginn und Ende je mit Datum "
    "angeben (z. B. `25.12. 22:00 – 26.12. 14:00`) oder den Zeitraum {value} ohne Uhrzeit.",
    "events.end_without_time": "Zum Enddatum {value} fehlt die Uhrzeit "
    "(z. B. `25.12. 22:00 – 26.12. 14:00`).",
    "events.bad_end": "Das Ende {end} liegt nicht nach dem Beginn {start}.",
    "events.range_too_long": "Ein Termin dauert höchstens {max} Tage.",
    "events.bad_date_range": "Das Enddatum {end} liegt nicht nach dem Anfangsdatum {start}.",
    "events.weekday_mismatch": "Der {date} ist ein {weekday}, kein {typed}.",
    "events.missing_title": "Der Titel fehlt.",
    "events.title_too_long": "Der Titel ist zu lang (höchstens {max} Zeichen).",
    "events.spec_too_long": "Die Angaben sind zu lang (höchstens {max} Zeichen).",
    "events.too_many_parts": "Zu viele Teile mit | (höchstens {max}).",
    "events.bad_url": "{value} ist kein gültiger Link (http:// oder https://).",
    "events.feed.empty": "der Kalender ist leer",
    "events.feed.not_calendar": "das ist keine iCalendar-Datei",
    "events.feed.syntax": "die Datei ist fehlerhaft ({detail})",
    "events.feed.unsupported_calendar": "diese Kalenderart wird nicht unterstützt",
    "events.feed.invalid": "die Datei ist ungültig ({detail})",
    "events.feed.no_valid_events": "keiner der {count} Termine ist lesbar",
    "events.feed.too_many_occurrences": "zu viele Termine (mehr als {limit} im Zeitraum), "
    "die späteren fehlen",
    "events.feed.skipped.no_start": "{count} Termin(e) ohne Beginn übersprungen (z. B. {title})",
    "events.feed.skipped.bad_time": "{count} Termin(e) mit unlesbarer Zeitangabe übersprungen "
    "(z. B. {title})",
    "events.feed.skipped.bad_rule": "{count} Termin(e) mit unlesbarer Wiederholungsregel "
    "übersprungen (z. B. {title})",
    "events.feed.skipped.too_frequent": "{count} Terminserie(n) öfter als alle 5 Minuten "
    "übersprungen (z. B. {title})",
    "events.feed.skipped.never": "{count} Terminserie(n), deren Regel auf keinen Tag zutrifft, "
    "übersprungen (z. B. {title})",
    "events.feed.skipped.invalid": "{count} unlesbare(r) Termin(e) übersprungen (z. B. {title})",
    "events.feed.skipped.too_complex": "{count} Terminserie(n) zu aufwendig zu berechnen, "
    "sie fehlen (z. B. {title})",
    "events.feed.warning_report": "⚠️ Im Kalender {name} fehlt etwas: {problems}.",
    "events.source.warnings": "⚠️ {problems}",
    "events.source.added_warnings": "⚠️ Nicht alles ist übernommen: {problems}.",
    "events.list.incomplete": "⚠️ Unvollständig – {name}: {problems}.",
    "events.import.warnings": "⚠️ Nicht alles ist übernommen: {problems}.",
    "events.fetch.bad_url": "die Adresse ist ungültig",
    "events.fetch.bad_scheme": "{scheme}-Adressen werden nicht unterstützt",
    "events.fetch.timeout": "keine Antwort innerhalb von {seconds} Sekunden",
    "events.fetch.too_large": "die Datei ist größer als {max_bytes} Bytes",
    "events.fetch.http_status": "der Server antwortet mit HTTP {status}",
    "events.fetch.connect": "der Server ist nicht erreichbar",
    "events.fetch.redirects": "zu viele Weiterleitungen",
    "events.fetch.network": "Netzwerkfehler ({detail})",
    "events.fetch.failed": "Abruf fehlgeschlagen ({detail})",
}

EN = {
    "events.weekdays": "Monday,Tuesday,Wednesday,Thursday,Friday,Saturday,Sunday",
    "events.day": "{weekday}, {month:02d}/{day:02d}",
    "events.day_year": "{weekday}, {month:02d}/{day:02d}/{year}",
    "events.date": "{month:02d}/{day:02d}/{year}",
    "events.until": "until {date}",
    "events.ongoing": "ongoing until {date}",
    "events.entered_by": "entered by {user}",
    "events.title": "Events",
    "events.cmd.list": "Shows the upcoming events of all networks (default: 7 days).",
    "events.cmd.add": "Adds an event: date [time] title | place | link, e.g. "
    "`Tue, 12/08 2-4pm Meetup | Erfurt` or `December 24 Party`. An end time before the start "
    "means the next morning, 6:00 at the latest (`10pm-2am`); an end on another day with its "
    "date: `12/25 10pm - 12/26 2pm Shift`.",
    "events.cmd.remove": "Deletes an event entered here.",
    "events.cmd.source_add": "Adds a calendar feed (ICS/webcal).",
    "events.cmd.source_list": "Lists the calendar sources and their state.",
    "events.cmd.source_remove": "Removes a calendar source.",
    "events.usage.list": "[N days|week|month]",
    "events.usage.add": "<date> [time[-end]] <title> [| place] [| link]",
    "events.usage.remove": "<number>",
    "events.usage.source_add": "<name> <URL>",
    "events.usage.source_remove": "<name>",
    "events.list.header": "**Events {start} to {end}**",
    "events.list.none": "No events from {start} to {end}.",
    "events.list.more": "… and {count} more.",
    "events.list.more_later": "… and {count} more on later days.",
    "events.list.bad_period": "I don't understand {value}. Examples: `14`, `14 days`, "
    "`week`, `month` (at most {max} days).",
    "events.all_day": "all day",
    "events.digest.header": "**Weekly overview: events {start} to {end}**",
    "events.digest.no_events": "No events this week.",
    "events.digest.stale": "**Requests open for a long time**",
    "events.week.none": "No events this week.",
    "events.added": "Event no. {number} added: {when} – {title}",
    "events.added_past": "⚠️ That date is in the past; the event will not appear in the weekly "
    "overview. If it is a typo: `{prefix}event remove` it and add it again.",
    "events.removed": "Event no. {number} deleted: {title}",
    "events.remove.unknown": "There is no entered event no. {number}.",
    "events.remove.not_yours": "Someone else entered event no. {number}; only they and admins "
    "may delete it.",
    "events.source.added": "Source {name} added: {count} events loaded.",
    "events.source.added_failed": "Source {name} added, but the first fetch failed: "
    "{problem}. I will try again at the next refresh.",
    "events.source.exists": "There already is a source {name}.",
    "events.source.bad_url": "I cannot fetch that address: {problem}",
    "events.source.url_too_long": "The address is too long (at most {max} characters).",
    "events.source.bad_name": "The name must be 1 to {max} characters without spaces.",
    "events.source.too_many": "There are already {max} sources.",
    "events.source.removed": "Source {name} removed.",
    "events.source.unknown": "There is no source {name}.",
    "events.source.none": "No calendar sources yet. An admin adds them with "
    "`{prefix}source add <name> <URL>`.",
    "events.source.header": "**Calendar sources ({count})**",
    "events.source.line_ok": "{name}: {count} events, last updated {when}",
    "events.source.line_never": "{name}: not fetched yet",
    "events.source.line_failing": "{name}: error – {problem} (last success: {when})",
    "events.source.file": "{name}: imported file, {count} events",
    "events.source.never": "never",
    "events.feed.failed_report": "⚠️ The calendar {name} cannot be fetched: {problem}. "
    "Its last events are kept; I will tell you when it works again.",
    "events.feed.recovered_report": "✅ The calendar {name} works again.",
    "events.import.done": "Imported {count} events from {file} as source {name}.",
    "events.import.failed": "{file} was not imported: {problem}",
    "events.fetch.summary": "{ok} updated, {not_modified} unchanged, {failed} failed.",
    "events.missing_date": "The date is missing at the start (e.g. 25.11.2026, tomorrow, Monday).",
    "events.bad_date": "{value} is not a date I understand.",
    "events.date_out_of_range": "{value} is too far in the past or the future.",
    "events.bad_time": "{value} is not a time I understand.",
    "events.bad_time_range": "The end time {end} is not after the start time {start}.",
    "events.end_before_start": "The end time {end} is before the start time {start}. Past "
    "midnight an event without an end date may run until 6:00 at the latest (e.g. "
    "`10pm-2am`); enter longer ones with their end date (e.g. `12/25 10pm - 12/26 2pm`).",
    "events.range_with_time": "Several days with a time: give the start and the end each with "
    "its date (e.g. `12/25 10pm - 12/26 2pm`), or the range {value} without a time.",
    "events.end_without_time": "The end date {value} needs its time "
    "(e.g. `12/25 10pm - 12/26 2pm`).",
    "events.bad_end": "The end {end} is not after the start {start}.",
    "events.range_too_long": "An event lasts at most {max} days.",
    "events.bad_date_range": "The end date {end} is not after the start date {start}.",
    "events.weekday_mismatch": "{date} is a {weekday}, not a {typed}.",
    "events.missing_title": "The title is missing.",
    "events.title_too_long": "The title is too long (at most {max} characters).",
    "events.spec_too_long": "That is too long (at most {max} characters).",
    "events.too_many_parts": "Too many parts separated by | (at most {max}).",
    "events.bad_url": "{value} is not a valid link (http:// or https://).",
    "events.feed.empty": "the calendar is empty",
    "events.feed.not_calendar": "this is not an iCalendar file",
    "events.feed.syntax": "the file is malformed ({detail})",
    "events.feed.unsupported_calendar": "this kind of calendar is not supported",
    "events.feed.invalid": "the file is invalid ({detail})",
    "events.feed.no_valid_events": "none of the {count} events is readable",
    "events.feed.too_many_occurrences": "too many events (more than {limit} in the period), "
    "the later ones are missing",
    "events.feed.skipped.no_start": "{count} event(s) without a start skipped (e.g. {title})",
    "events.feed.skipped.bad_time": "{count} event(s) with an unreadable time skipped "
    "(e.g. {title})",
    "events.feed.skipped.bad_rule": "{count} event(s) with an unreadable recurrence rule "
    "skipped (e.g. {title})",
    "events.feed.skipped.too_frequent": "{count} series repeating more often than every "
    "5 minutes skipped (e.g. {title})",
    "events.feed.skipped.never": "{count} series whose rule matches no day skipped (e.g. {title})",
    "events.feed.skipped.invalid": "{count} unreadable event(s) skipped (e.g. {title})",
    "events.feed.skipped.too_complex": "{count} series too expensive to compute, they are "
    "missing (e.g. {title})",
    "events.feed.warning_report": "⚠️ Something is missing from the calendar {name}: {problems}.",
    "events.source.warnings": "⚠️ {problems}",
    "events.source.added_warnings": "⚠️ Not everything was taken over: {problems}.",
    "events.list.incomplete": "⚠️ Incomplete – {name}: {problems}.",
    "events.import.warnings": "⚠️ Not everything was taken over: {problems}.",
    "events.fetch.bad_url": "the address is invalid",
    "events.fetch.bad_scheme": "{scheme} addresses are not supported",
    "events.fetch.timeout": "no answer within {seconds} seconds",
    "events.fetch.too_large": "the file is larger than {max_bytes} bytes",
    "events.fetch.http_status": "the server answers HTTP {status}",
    "events.fetch.connect": "the server cannot be reached",
    "events.fetch.redirects": "too many redirects",
    "events.fetch.network": "network error ({detail})",
    "events.fetch.failed": "fetch failed ({detail})",
}

CATALOGUE = {"de": DE, "en": EN}
