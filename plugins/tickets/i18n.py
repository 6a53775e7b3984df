"""Everything the tickets plugin says, in German (default) and English.

Placeholders are filled with Markdown that is already escaped (md_escape / md_code / mention),
so templates never add backticks around them.
"""

from __future__ import annotations

DE: dict[str, str] = {
    "tickets.title": "Anfragen",
    # help and usage
    "tickets.cmd.request": "Legt eine Anfrage an und schlägt passende Netzwerke vor.",
    "tickets.usage.request": "<Text> (dahinter nach Komma oder Semikolon, oder in weiteren "
    "Zeilen – Umschalt+Enter – z. B. Firma: …, Kontakt: …, E-Mail: …, Telefon: …)",
    "tickets.cmd.claim": "Übernimmt eine Anfrage (oder ✋ auf ihre Nachricht).",
    "tickets.cmd.release": "Gibt eine übernommene Anfrage wieder frei.",
    "tickets.cmd.close": "Schließt eine Anfrage als erledigt, mit Notiz (oder ✅ auf ihre "
    "Nachricht). Erlaubt für alle, die sie angelegt oder übernommen haben, die zuständige "
    "Person, die Ansprechpartner des zuständigen Netzwerks und Admins.",
    "tickets.cmd.reopen": "Öffnet eine erledigte Anfrage wieder.",
    "tickets.cmd.assign": "Weist eine Anfrage einem Netzwerk oder einer Person zu; "
    "„-“ hebt die Zuweisung auf.",
    "tickets.cmd.comment": "Schreibt einen Kommentar in den Verlauf einer Anfrage.",
    "tickets.cmd.show": "Zeigt eine Anfrage mit ihrem Verlauf.",
    "tickets.cmd.list": "Listet Anfragen: offene (Standard), meine, alle, erledigte oder "
    "die eines Netzwerks.",
    "tickets.cmd.agenda": "Agenda der Woche: offene Anfragen nach Netzwerk, überfällige "
    "markiert, dazu die Termine der Woche.",
    "tickets.usage.number": "<Nr>",
    "tickets.usage.close": "<Nr> [Notiz]",
    "tickets.usage.assign": "<Nr> <Netzwerk-ID|@name:server|->",
    "tickets.usage.comment": "<Nr> <Text>",
    "tickets.usage.list": "[offen|meine|alle|erledigt|<Netzwerk-ID>]",
    # list filters, as typed after !tickets
    "tickets.filter.open": "offen",
    "tickets.filter.mine": "meine",
    "tickets.filter.all": "alle",
    "tickets.filter.done": "erledigt",
    # filing
    "tickets.example.request": "Exportberatung für Polen gesucht",
    "tickets.created": "📝 Anfrage **#{number}** angelegt: {title}",
    "tickets.suggest.head": "**Passende Netzwerke:**",
    "tickets.suggest.contacts": "Ansprechpartner: {contacts}",
    "tickets.suggest.weak_head": "**Vielleicht passend** (unsichere Treffer, bitte prüfen):",
    "tickets.suggest.weaker": "Weniger sicher:",
    "tickets.suggest.tied": "Mehrere Netzwerke passen gleich gut, daher habe ich niemanden "
    "benachrichtigt.",
    "tickets.suggest.any_network": "<Netzwerk>",
    "tickets.suggest.none": "Ein passendes Netzwerk habe ich nicht gefunden.",
    "tickets.suggest.unavailable": "Das Netzwerkverzeichnis ist gerade nicht verfügbar, "
    "daher kann ich keine Netzwerke vorschlagen.",
    "tickets.suggest.assign_hint": "Zuweisen: {command}",
    "tickets.created.hint": "Übernehmen: ✋ auf diese Nachricht oder {claim} · "
    "Erledigt: ✅ oder {close}",
    # fields
    "tickets.field.company": "Firma",
    "tickets.field.contact": "Kontakt",
    "tickets.field.email": "E-Mail",
    "tickets.field.phone": "Telefon",
    "tickets.field.network": "Netzwerk",
    "tickets.field.assignee": "Zugewiesen",
    "tickets.field.status": "Status",
    "tickets.field.filed": "Angelegt",
    "tickets.field.closed": "Erledigt",
    "tickets.field.note": "Notiz",
    "tickets.filed_by": "{when} von {user}",
    # states and ages
    "tickets.status.open": "offen",
    "tickets.status.claimed": "übernommen von {user}",
    "tickets.status.done": "erledigt",
    "tickets.unclaimed": "noch nicht übernommen",
    "tickets.age.today": "heute",
    "tickets.age.yesterday": "gestern",
    "tickets.age.days": "vor {days} Tagen",
    "tickets.stale.mark": "⚠️ überfällig",
    "tickets.format.datetime": "%d.%m.%Y %H:%M",
    "tickets.format.date": "%d.%m.%Y",
    # lifecycle
    "tickets.claimed": "✋ {user} hat Anfrage **#{number}** übernommen: {title}",
    "tickets.claim.already_yours": "Anfrage **#{number}** haben Sie bereits übernommen. 👍",
    "tickets.released": "Anfrage **#{number}** ist wieder frei: {title}",
    "tickets.closed": "✅ Anfrage **#{number}** ist erledigt ({user}): {title}",
    "tickets.closed.note": "Notiz: {note}",
    "tickets.closed.notify": "{user}, Ihre Anfrage ist erledigt.",
    "tickets.reopened": "Anfrage **#{number}** ist wieder offen: {title}",
    "tickets.assigned.network": "Anfrage **#{number}** ist jetzt dem Netzwerk {network} "
    "zugewiesen.",
    "tickets.assigned.user": "Anfrage **#{number}** ist jetzt {user} zugewiesen.",
    "tickets.unassigned": "Anfrage **#{number}** ist niemandem mehr zugewiesen.",
    "tickets.commented": "Kommentar zu Anfrage **#{number}** gespeichert.",
    # problems
    "tickets.error.empty": "Bitte beschreiben Sie die Anfrage, z. B. {example}  \n"
    "Firma, Kontakt, E-Mail und Telefon können als eigene Zeilen folgen "
    "(„Firma: Muster GmbH“).",
    "tickets.error.no_description": "Ich sehe nur Feldnamen ohne Angaben (wie „Firma:“). "
    "Bitte schreiben Sie, worum es geht, z. B. {example}",
    "tickets.error.too_long": "Die Anfrage ist zu lang ({length} Zeichen, höchstens "
    "{limit}). Bitte kürzen Sie sie; es wurde nichts gespeichert.",
    "tickets.error.field_too_long": "Die Angabe „{field}“ ist zu lang (höchstens {limit} "
    "Zeichen); es wurde nichts gespeichert.",
    "tickets.error.comment_empty": "Bitte geben Sie den Kommentar an: {example}",
    "tickets.error.comment_too_long": "Der Kommentar ist zu lang ({length} Zeichen, "
    "höchstens {limit}); es wurde nichts gespeichert.",
    "tickets.error.note_too_long": "Die Notiz ist zu lang ({length} Zeichen, höchstens "
    "{limit}); es wurde nichts gespeichert.",
    "tickets.error.not_found": "Eine Anfrage #{number} gibt es in diesem Raum nicht. "
    "Offene Anfragen: {command}",
    "tickets.error.claimed_by_other": "Anfrage **#{number}** hat bereits {user} übernommen.",
    "tickets.error.done": "Anfrage **#{number}** ist bereits erledigt. Wieder öffnen: {command}",
    "tickets.error.not_done": "Anfrage **#{number}** ist nicht erledigt; es gibt nichts "
    "wieder zu öffnen.",
    "tickets.error.not_claimed": "Anfrage **#{number}** hat niemand übernommen.",
    "tickets.error.not_allowed.close": "Schließen dürfen Anfrage **#{number}** nur, wer sie "
    "angelegt oder übernommen hat, die zuständige Person, die Ansprechpartner des zuständigen "
    "Netzwerks oder ein Admin.",
    "tickets.error.not_allowed.reopen": "Wieder öffnen dürfen Anfrage **#{number}** nur, wer "
    "sie angelegt oder übernommen hat, die zuständige Person, die Ansprechpartner des "
    "zuständigen Netzwerks oder ein Admin.",
    "tickets.error.not_allowed.assign": "Zuweisen dürfen Anfrage **#{number}** nur, wer sie "
    "angelegt oder übernommen hat, die zuständige Person, die Ansprechpartner des zuständigen "
    "Netzwerks oder ein Admin.",
    "tickets.error.not_allowed.release": "Freigeben darf Anfrage **#{number}** nur, wer sie "
    "übernommen hat, oder ein Admin.",
    "tickets.error.busy": "Anfrage **#{number}** wird gerade gleichzeitig geändert. Bitte "
    "versuchen Sie es gleich noch einmal.",
    "tickets.networks_command": "netzwerke",  # the directory's list of networks
    "tickets.error.unknown_network": "Das Netzwerk {network} kenne ich nicht. "
    "Alle Netzwerke: {command}",
    "tickets.error.bad_target": "{value} ist weder eine Netzwerk-ID noch eine Matrix-ID "
    "(@name:server).",
    "tickets.error.bad_filter": "{value} ist kein Filter und kein bekanntes Netzwerk. "
    "Möglich: {choices} oder eine Netzwerk-ID.",
    # lists
    "tickets.list.open": "**Offene Anfragen** ({count})",
    "tickets.list.mine": "**Meine Anfragen** ({count})",
    "tickets.list.all": "**Alle Anfragen** ({count})",
    "tickets.list.done": "**Erledigte Anfragen** ({count})",
    "tickets.list.network": "**Offene Anfragen für {network}** ({count})",
    "tickets.list.empty": "Keine passenden Anfragen in diesem Raum.",
    "tickets.list.more": "… und {count} weitere",
    "tickets.list.narrow": "nach Netzwerk eingrenzen: {command}",
    "tickets.list.one_by_one": "einzeln: {command}",
    "tickets.list.any_number": "<Nr>",
    # detail
    "tickets.detail.head": "**Anfrage #{number}:** {title}",
    "tickets.detail.trail": "**Verlauf**",
    "tickets.detail.earlier": "… {count} frühere Einträge",
    "tickets.action.created": "angelegt",
    "tickets.action.claimed": "übernommen",
    "tickets.action.released": "freigegeben",
    "tickets.action.closed": "erledigt",
    "tickets.action.reopened": "wieder geöffnet",
    "tickets.action.assigned": "zugewiesen",
    "tickets.action.unassigned": "Zuweisung aufgehoben",
    "tickets.action.commented": "Kommentar",
    # follow-up: weekly post and agenda
    "tickets.stale.head": "**Überfällige Anfragen** (seit mehr als {days} Tagen offen)",
    "tickets.reminder.head": "⏰ **Wochenerinnerung** – offene Anfragen in diesem Raum: {count}",
    "tickets.reminder.hint": "Alle offenen: {command}",
    "tickets.assign.unchanged": "Anfrage #{number} ist schon so zugewiesen; nichts geändert.",
    "tickets.stale.room": "Raum {room}",
    "tickets.agenda.head": "**Agenda – KW {week}** ({start} bis {end})",
    "tickets.agenda.tickets": "**Offene Anfragen** ({count}, davon überfällig: {stale})",
    "tickets.agenda.no_tickets": "Keine offenen Anfragen. 🎉",
    "tickets.agenda.no_network": "Ohne Netzwerk",
    "tickets.agenda.events": "**Termine dieser Woche**",
    "tickets.agenda.no_events": "Diese Woche stehen keine Termine an.",
    "tickets.agenda.events_unavailable": "Termine kann ich hier nicht zeigen: das "
    "Termin-Modul ist nicht aktiv.",
}

EN: dict[str, str] = {
    "tickets.title": "Requests",
    "tickets.cmd.request": "Files a request and suggests networks that handle it.",
    "tickets.usage.request": "<text> (followed by a comma or semicolon, or on further lines"
    " – Shift+Enter – e.g. company: …, contact: …, email: …, phone: …)",
    "tickets.cmd.claim": "Claims a request (or ✋ on its message).",
    "tickets.cmd.release": "Hands a claimed request back.",
    "tickets.cmd.close": "Closes a request as done, with a note (or ✅ on its message). "
    "Allowed for the filer, the claimer, the assignee, the contacts of its network and admins.",
    "tickets.cmd.reopen": "Reopens a closed request.",
    "tickets.cmd.assign": "Assigns a request to a network or a person; “-” removes the assignment.",
    "tickets.cmd.comment": "Adds a comment to a request's history.",
    "tickets.cmd.show": "Shows a request with its history.",
    "tickets.cmd.list": "Lists requests: open (default), mine, all, done, or a network's.",
    "tickets.cmd.agenda": "This week's agenda: open requests by network, overdue ones "
    "marked, plus this week's events.",
    "tickets.usage.number": "<no>",
    "tickets.usage.close": "<no> [note]",
    "tickets.usage.assign": "<no> <network-id|@name:server|->",
    "tickets.usage.comment": "<no> <text>",
    "tickets.usage.list": "[open|mine|all|done|<network-id>]",
    "tickets.filter.open": "open",
    "tickets.filter.mine": "mine",
    "tickets.filter.all": "all",
    "tickets.filter.done": "done",
    "tickets.example.request": "Looking for export advice on Poland",
    "tickets.created": "📝 Request **#{number}** filed: {title}",
    "tickets.suggest.head": "**Networks that handle this:**",
    "tickets.suggest.contacts": "Contacts: {contacts}",
    "tickets.suggest.weak_head": "**Possibly relevant** (uncertain matches, please check):",
    "tickets.suggest.weaker": "Less certain:",
    "tickets.suggest.tied": "Several networks match equally well, so I notified nobody.",
    "tickets.suggest.any_network": "<network>",
    "tickets.suggest.none": "I found no network that matches.",
    "tickets.suggest.unavailable": "The network directory is not available right now, "
    "so I cannot suggest networks.",
    "tickets.suggest.assign_hint": "Assign: {command}",
    "tickets.created.hint": "Claim: ✋ on this message or {claim} · Done: ✅ or {close}",
    "tickets.field.company": "Company",
    "tickets.field.contact": "Contact",
    "tickets.field.email": "Email",
    "tickets.field.phone": "Phone",
    "tickets.field.network": "Network",
    "tickets.field.assignee": "Assigned to",
    "tickets.field.status": "Status",
    "tickets.field.filed": "Filed",
    "tickets.field.closed": "Closed",
    "tickets.field.note": "Note",
    "tickets.filed_by": "{when} by {user}",
    "tickets.status.open": "open",
    "tickets.status.claimed": "claimed by {user}",
    "tickets.status.done": "done",
    "tickets.unclaimed": "not claimed yet",
    "tickets.age.today": "today",
    "tickets.age.yesterday": "yesterday",
    "tickets.age.days": "{days} days ago",
    "tickets.stale.mark": "⚠️ overdue",
    "tickets.format.datetime": "%Y-%m-%d %H:%M",
    "tickets.format.date": "%Y-%m-%d",
    "tickets.claimed": "✋ {user} claimed request **#{number}**: {title}",
    "tickets.claim.already_yours": "You have already claimed request **#{number}**. 👍",
    "tickets.released": "Request **#{number}** is free again: {title}",
    "tickets.closed": "✅ Request **#{number}** is done ({user}): {title}",
    "tickets.closed.note": "Note: {note}",
    "tickets.closed.notify": "{user}, your request is done.",
    "tickets.reopened": "Request **#{number}** is open again: {title}",
    "tickets.assigned.network": "Request **#{number}** is now assigned to the network {network}.",
    "tickets.assigned.user": "Request **#{number}** is now assigned to {user}.",
    "tickets.unassigned": "Request **#{number}** is no longer assigned.",
    "tickets.commented": "Comment on request **#{number}** saved.",
    "tickets.error.empty": "Please describe the request, e.g. {example}  \n"
    "Company, contact, email and phone may follow on lines of their own "
    "(“company: Example Ltd”).",
    "tickets.error.no_description": "I only see field names without values (like "
    "“company:”). Please write what the request is about, e.g. {example}",
    "tickets.error.too_long": "The request is too long ({length} characters, at most "
    "{limit}). Please shorten it; nothing was saved.",
    "tickets.error.field_too_long": "“{field}” is too long (at most {limit} characters); "
    "nothing was saved.",
    "tickets.error.comment_empty": "Please give the comment: {example}",
    "tickets.error.comment_too_long": "The comment is too long ({length} characters, at most "
    "{limit}); nothing was saved.",
    "tickets.error.note_too_long": "The note is too long ({length} characters, at most "
    "{limit}); nothing was saved.",
    "tickets.error.not_found": "There is no request #{number} in this room. "
    "Open requests: {command}",
    "tickets.error.claimed_by_other": "Request **#{number}** is already claimed by {user}.",
    "tickets.error.done": "Request **#{number}** is already done. Reopen: {command}",
    "tickets.error.not_done": "Request **#{number}** is not done; there is nothing to reopen.",
    "tickets.error.not_claimed": "Nobody has claimed request **#{number}**.",
    "tickets.error.not_allowed.close": "Only whoever filed or claimed request **#{number}**, "
    "its assignee, the contacts of its network or an admin may close it.",
    "tickets.error.not_allowed.reopen": "Only whoever filed or claimed request **#{number}**, "
    "its assignee, the contacts of its network or an admin may reopen it.",
    "tickets.error.not_allowed.assign": "Only whoever filed or claimed request **#{number}**, "
    "its assignee, the contacts of its network or an admin may assign it.",
    "tickets.error.not_allowed.release": "Only whoever claimed request **#{number}**, or an "
    "admin, may hand it back.",
    "tickets.error.busy": "Request **#{number}** is being changed by someone else right now. "
    "Please try again in a moment.",
    "tickets.networks_command": "networks",
    "tickets.error.unknown_network": "I do not know the network {network}. "
    "All networks: {command}",
    "tickets.error.bad_target": "{value} is neither a network id nor a Matrix id (@name:server).",
    "tickets.error.bad_filter": "{value} is neither a filter nor a known network. "
    "Possible: {choices} or a network id.",
    "tickets.list.open": "**Open requests** ({count})",
    "tickets.list.mine": "**My requests** ({count})",
    "tickets.list.all": "**All requests** ({count})",
    "tickets.list.done": "**Closed requests** ({count})",
    "tickets.list.network": "**Open requests for {network}** ({count})",
    "tickets.list.empty": "No matching requests in this room.",
    "tickets.list.more": "… and {count} more",
    "tickets.list.narrow": "narrow down by network: {command}",
    "tickets.list.one_by_one": "one by one: {command}",
    "tickets.list.any_number": "<no>",
    "tickets.detail.head": "**Request #{number}:** {title}",
    "tickets.detail.trail": "**History**",
    "tickets.detail.earlier": "… {count} earlier entries",
    "tickets.action.created": "filed",
    "tickets.action.claimed": "claimed",
    "tickets.action.released": "handed back",
    "tickets.action.closed": "closed",
    "tickets.action.reopened": "reopened",
    "tickets.action.assigned": "assigned",
    "tickets.action.unassigned": "assignment removed",
    "tickets.action.commented": "comment",
    "tickets.stale.head": "**Overdue requests** (open for more than {days} days)",
    "tickets.reminder.head": "⏰ **Weekly reminder** – open requests in this room: {count}",
    "tickets.reminder.hint": "All open ones: {command}",
    "tickets.assign.unchanged": "Request #{number} is already assigned that way; nothing changed.",
    "tickets.stale.room": "room {room}",
    "tickets.agenda.head": "**Agenda – week {week}** ({start} to {end})",
    "tickets.agenda.tickets": "**Open requests** ({count}, overdue: {stale})",
    "tickets.agenda.no_tickets": "No open requests. 🎉",
    "tickets.agenda.no_network": "No network",
    "tickets.agenda.events": "**This week's events**",
    "tickets.agenda.no_events": "No events this week.",
    "tickets.agenda.events_unavailable": "I cannot show events here: the events module is "
    "not active.",
}

CATALOGUE = {"de": DE, "en": EN}
