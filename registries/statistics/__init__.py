"""Statistics: counts of life events per province and month."""
