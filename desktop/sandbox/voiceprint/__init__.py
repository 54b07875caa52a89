"""Sandbox voiceprint service: WebSocket protocol, speaker engine, voiceprint store."""
