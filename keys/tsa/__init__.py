"""The time-stamp authority (RFC 3161, RFC 5816), served at ``POST /pki/tsa``.

    policy      the TSA policy OID (under OneDoor's UUID arc), accepted digests, accuracy
    query       parse_query: check a TimeStampReq (rejections name the PKIFailureInfo bit)
    token       tst_info, signed_token: TSTInfo in CMS SignedData with signingCertificateV2
    serials     allocate_serial: database-issued serial numbers (table keys_tsa_serial)
    authority   respond / respond_committed: a TimeStampResp for any input, never an exception
    verify      verify_timestamp_token: imprint, nonce, signature and signer of a token
    client      request_timestamp over HTTP or in-process; typed errors when no token
"""
