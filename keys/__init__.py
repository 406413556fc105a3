"""The PKI: CA hierarchy, certificate profiles, trust anchors, OCSP, CRL, timestamp authority.

    layout      the named entities (root-ca, organisation-ca, citizen-ca, services-ca,
                timestamp-authority, <ca>-ocsp), their files and public URLs
    bootstrap   ensure_pki: `onedoor keys init`
    pki         load_pki -> Pki (certificates, CA keys in custody), list_certificates
    custody     KeyCustody protocol, FileKeyCustody (encrypted PKCS#8 files)
    profiles    certificate profiles (key usage, EKU, CA status, lifetime)
    certificates build_certificate: sign one certificate from a profile
    subjects    member / citizen / service subject names, member_id_of
    issuance    issue_member_certificates and friends (recorded in keys_certificate)
    registry    record, look up and revoke issued certificates
    crl         current_crl: a fresh CRL signed by a CA
    ocsp/       OCSP responder per issuing CA (RFC 6960): ocsp.responder.respond, served at
                POST /pki/ocsp/<ca> and GET /pki/ocsp/<ca>/<base64 request>
    tsa/        time-stamp authority (RFC 3161): tsa.authority.respond, POST /pki/tsa;
                tsa.client.request_timestamp and tsa.verify.verify_timestamp_token for signers
    app         the pki web app: CA certificates, CRLs, OCSP, TSA
"""
