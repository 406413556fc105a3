"""Life-event routing ("tell us once"): outbox, subscriptions, durable delivery, dead letters.

A registry calls :mod:`exchange.events.sources` in the transaction that registers a record;
that writes the event to ``events_outbox`` and one ``events_delivery`` row per subscriber.
Workers (:mod:`exchange.events.worker`) claim due deliveries, re-check the subscription's legal
basis, hand the event XML to a :class:`exchange.events.delivery.Transport`, and retry with
back-off until it is delivered or dead (:mod:`exchange.events.dlq`).
"""
