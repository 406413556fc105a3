"""Consent service: consent artefacts, legal bases, the access decision, and data preview.

The provider gateway calls :func:`exchange.consent.decision.decide`; citizens give, pause,
resume and withdraw consents through :mod:`exchange.consent.service` (or the router in
:mod:`exchange.consent.api`); centres store fetched data as a preview the citizen approves
(:mod:`exchange.consent.preview`).
"""
