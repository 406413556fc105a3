"""The message envelope between gateways: signed by the sender, body encrypted for the receiver."""
