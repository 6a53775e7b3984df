"""Which reactions mean what: ✋ claims, ✅ closes, in the spellings clients actually send."""

from __future__ import annotations

from enum import StrEnum

# Clients differ: some append the emoji variation selector U+FE0F, some a skin tone.
_IGNORED = {"\ufe0f", "\ufe0e", *(chr(code) for code in range(0x1F3FB, 0x1F400))}


class ReactionAction(StrEnum):
    CLAIM = "claim"
    CLOSE = "close"


_ACTIONS = {
    "✋": ReactionAction.CLAIM,  # raised hand: "I'll take it"
    "🤚": ReactionAction.CLAIM,  # raised back of hand, the same gesture
    "✅": ReactionAction.CLOSE,
    "✔": ReactionAction.CLOSE,  # heavy check mark, usually sent as ✔️
    "☑": ReactionAction.CLOSE,  # ballot box with check, usually sent as ☑️
}


def normalise(key: str) -> str:
    return "".join(char for char in key.strip() if char not in _IGNORED)


def reaction_action(key: str) -> ReactionAction | None:
    """The action a reaction key stands for, or None for every other reaction."""
    return _ACTIONS.get(normalise(key))
