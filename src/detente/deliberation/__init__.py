"""Deliberation tools: vote matrices, delegation-aware common ground and opinion mapping."""
