"""Answering a question: roles, intent, conversation, retrieval, answering. Faces use Advisor."""

from .advisor import Advisor

__all__ = ["Advisor"]
