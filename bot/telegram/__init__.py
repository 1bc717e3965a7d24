"""The Telegram adapter: thin PTB callbacks around the dialogue core."""
