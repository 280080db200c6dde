"""The network API (FastAPI): every engine operation for other machines, by role."""
