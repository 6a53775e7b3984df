"""Directory answers as Markdown. Every KB string is user-supplied: escaped here."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from bot.i18n import Translator
from bot.messages import md_code, md_escape, md_link, mention
from plugins.contracts import ContactRef, NetworkSuggestion
from plugins.directory.kb import Contact, KnowledgeBase, Network

MAX_CONTACTS_SHOWN = 3


def contact_md(contact: ContactRef | Contact) -> str:
    if contact.matrix:
        text = mention(contact.matrix, contact.name, notify=False)
    elif contact.email:
        text = f"{md_escape(contact.name)} ({md_escape(contact.email)})"
    else:
        text = md_escape(contact.name)
    if contact.role:
        text += f" ({md_escape(contact.role)})"
    return text


def network_title(short: str | None, name: str) -> str:
    if short and not name.startswith(short):
        return f"**{md_escape(short)}** – {md_escape(name)}"
    return f"**{md_escape(name)}**"


def who_answer(
    t: Translator,
    query: str,
    hits: Sequence[NetworkSuggestion],
    closest: Sequence[str],
    by_field: Collection[str] = frozenset(),
) -> str:
    """`by_field`: the networks whose `matched` are fields ("Beschreibung: Jena"), not KB
    phrases; they are introduced without a colon of their own ("passt laut Beschreibung:
    Jena", not "passt zu: Beschreibung: Jena")."""
    shown_query = md_code(query if len(query) <= 80 else query[:79] + "…")
    if not hits:
        lines = [t("directory.who.none", query=shown_query)]
        if closest:
            lines.append(t("directory.who.closest", topics=", ".join(map(md_escape, closest))))
        return "  \n".join(lines)
    lines = [t("directory.who.header", query=shown_query), ""]
    for rank, hit in enumerate(hits, 1):
        lines.append(f"{rank}. {network_title(hit.short, hit.name)}  ")
        if hit.matched:
            matched = ", ".join(md_escape(m) for m in hit.matched[:5])
            key = (
                "directory.who.matched_field"
                if hit.network_id in by_field
                else "directory.who.matched"
            )
            lines.append(f"   {t(key, matched=matched)}  ")
        contacts = [contact_md(c) for c in hit.contacts[:MAX_CONTACTS_SHOWN]]
        text = ", ".join(contacts) if contacts else t("directory.who.no_contacts")
        lines.append(f"   {t('directory.who.contacts', contacts=text)}")
    return "\n".join(lines)


def profile(t: Translator, network: Network) -> str:
    lines = [network_title(network.short, network.name)]
    if network.url:
        lines.append(md_link(network.url, network.url))
    if network.description:
        lines.append(md_escape(network.description))
    if network.topics:
        lines.append(
            t("directory.network.topics", topics=", ".join(map(md_escape, network.topics)))
        )
    if network.offers:
        lines.append(
            t("directory.network.offers", offers=", ".join(map(md_escape, network.offers)))
        )
    text = "  \n".join(lines)
    if network.contacts:
        text += "\n\n" + t("directory.network.contacts") + "\n\n"
        text += "\n".join(f"- {contact_md(c)}{_reach(c)}" for c in network.contacts)
    return text


def _reach(contact: Contact) -> str:
    parts = [md_escape(p) for p in (contact.email if contact.matrix else None, contact.phone) if p]
    return " – " + ", ".join(parts) if parts else ""


def network_list(t: Translator, kb: KnowledgeBase) -> str:
    lines = [t("directory.networks.header", count=len(kb.networks)), ""]
    for network in kb.networks:
        topics = ", ".join(md_escape(topic) for topic in network.topics[:4])
        more = " …" if len(network.topics) > 4 else ""
        title = network_title(network.short, network.name)
        lines.append(f"- {title} ({md_code(network.id)}): {topics}{more}")
    return "\n".join(lines)
