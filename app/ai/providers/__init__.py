"""Concrete providers: OpenAI, Anthropic and any OpenAI-compatible server."""

from app.ai.providers.anthropic_provider import AnthropicProvider
from app.ai.providers.base import BaseProvider
from app.ai.providers.compatible import OpenAICompatibleProvider
from app.ai.providers.openai_provider import OpenAIProvider

__all__ = ["AnthropicProvider", "BaseProvider", "OpenAICompatibleProvider", "OpenAIProvider"]
