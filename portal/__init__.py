"""Web pages for centre officers, citizens and data-protection officers."""
