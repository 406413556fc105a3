"""Remote signing service: citizen signing keys, the CSC API v2, PAdES / CAdES, validation.

    custody       SigningKeyCustody protocol; SealedKeyCustody (AES-GCM, key from the state dir)
    credentials   enrol / list / revoke a citizen's signing key and certificate (citizen-ca)
    activation    credentials/authorize: TOTP -> SAD bound to hashes; consume on signHash
    vcode         the 4-digit verification code shown on both screens
    service       sign_hashes: what signatures/signHash does
    api           the CSC-shaped routes (``router``) and ``install_signing``
    csc_client    pyHanko's CSC signer speaking v2 field names (the signing key stays remote)
    revocation    OCSP / CRL for a chain, over HTTP or in-process from keys/ (hard fail)
    timestamping  pyHanko TimeStamper over keys.tsa transports (in-process or pooled HTTP)
    ltv           LongTermSources (TSA + revocation + CA certificates), built once, reused
    pades, cades  PAdES B-LT and detached CAdES B-LT (RFC 5940 OCSP) through any pyHanko Signer
    render        applications as PDF in Lao and English (embedded, shaped Noto fonts)
    report        ETSI EN 319 102-1 style results (indication, sub-indication)
    validation, cades_validation   validate PDFs / detached .p7s at the timestamp's time
    cli           ``onedoor sign``: verify, render
"""
