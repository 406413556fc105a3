"""OCSP (RFC 6960): the responder of each issuing CA, served at ``/pki/ocsp/<ca>``.

    request     parse_request: one CertID and the nonce (RFC 6960 4.1, RFC 9654)
    responder   respond: an OCSPResponse signed by ``<ca>-ocsp`` from the certificate register
    http        media types, decode_get_request: the GET form of RFC 6960 appendix A.1
    errors      MalformedOcspRequestError (never leaves the responder)
"""
