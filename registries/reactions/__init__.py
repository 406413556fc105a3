"""How each ministry system acts on a life event, through its own service functions.

Each subscriber has a handler per event type (:mod:`registries.reactions.handlers`) and its
own inbox table; :func:`registries.reactions.consumer.consume` runs the handler, records the
event id and the outcome in one transaction, so a redelivered event has no second effect.
"""
