"""Fixtures that run real servers the app can use (PostgreSQL, Redis, nginx) on loopback ports."""
