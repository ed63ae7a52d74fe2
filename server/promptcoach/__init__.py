"""Prompt Coach: coaching for prompts written to AI coding assistants."""

__version__ = "0.1.0"
