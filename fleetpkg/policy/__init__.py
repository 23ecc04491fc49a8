"""Offline Fleet policy tooling: validate vars, render agent/stream templates, build API bodies."""
