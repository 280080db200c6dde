"""PySide6 screens: ticket kiosk, counter panel, waiting-room display, manager view.

They depend on kiosk/ (never the other way round) and reach the queue only through a backend
(ui/backend.py in-process, ui/remote_backend.py over the network)."""
