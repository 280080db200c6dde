"""The web manager view (/manage): pages for a manager's browser on any PC or phone of the LAN."""
