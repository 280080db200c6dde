"""Front-desk kiosk core: queue engine, fairness, store, reports, config, CLI.

Never imports Qt or device libraries (see design: dependency direction)."""
