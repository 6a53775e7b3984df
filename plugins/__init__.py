"""Lotse plugins shipped with the bot."""
