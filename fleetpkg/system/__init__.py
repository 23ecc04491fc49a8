"""Offline system tests: a Cloudflare API simulator, a CEL runtime with the Agent's extension
functions, an input loop driver on a virtual clock, the system test runner and a collector."""
