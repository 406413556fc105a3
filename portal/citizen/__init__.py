"""The citizen's pages: second factor, consents, who accessed my data, life events."""
