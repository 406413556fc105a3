"""The portal's general pages: start, consoles, language switcher, errors."""
