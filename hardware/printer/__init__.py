"""Ticket printers: python-escpos connections (USB, serial, LAN, file) and a simulated twin."""
