"""Presence inputs at the entrance: door switch, PIR, ultrasonic (gpiozero), mmWave radar (pyserial)."""
