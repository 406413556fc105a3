"""The PKI: CA hierarchy, certificate profiles, trust anchors, OCSP, CRL, timestamp authority."""
