"""Remote signing service: citizen signing keys, the CSC API v2, PAdES / CAdES, validation.

    custody       SigningKeyCustody protocol; SealedKeyCustody (AES-GCM, key from the state dir)
    credentials   enrol / list / revoke a citizen's signing key and certificate (citizen-ca)
    activation    credentials/authorize: TOTP -> SAD bound to hashes; consume on signHash
    vcode         the 4-digit verification code shown on both screens
    service       sign_hashes: what signatures/signHash does
    api           the CSC-shaped routes (``router``) and ``install_signing``
    csc_client    pyHanko's CSC signer speaking v2 field names (the signing key stays remote)
    pades, cades  PAdES B-LT and detached CAdES B-LT through any pyHanko Signer
    render        applications as PDF in Lao and English (embedded, shaped Noto fonts)
    validation    ETSI EN 319 102-1 style results for PDFs and detached CAdES
    cli           ``onedoor sign``: verify, render
"""
