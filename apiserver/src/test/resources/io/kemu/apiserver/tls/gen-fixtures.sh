#!/bin/sh
# Regenerates the TLS test fixtures of ServerTlsTest / PemTest (OpenSSL 3).
# They are test-only keys, valid for 100 years so the tests do not rot; never use them elsewhere.
set -eu
cd "$(dirname "$0")"
DAYS=36500

ca() { # name subject
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key"
  openssl req -x509 -new -key "$1.key" -subj "$2" -days $DAYS -out "$1.crt" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature"
}
leaf() { # name keyalg subject issuer extensions
  if [ "$2" = rsa ]; then openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1.key"
  else openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key"; fi
  printf '%s\n' "$5" > "$1.ext"
  openssl req -new -key "$1.key" -subj "$3" -out "$1.csr"
  openssl x509 -req -in "$1.csr" -CA "$4.crt" -CAkey "$4.key" -CAcreateserial -days $DAYS \
    -extfile "$1.ext" -out "$1.crt"
  rm -f "$1.csr" "$1.ext" "$4.srl"
}

SERVER_EXT='basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost'
CLIENT_EXT='basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth'

ca ca "/CN=fixture-ca"
ca other-ca "/CN=other-ca"
leaf server-ec ec "/CN=fixture-server" ca "$SERVER_EXT"
leaf server-rsa rsa "/CN=fixture-server-rsa" ca "$SERVER_EXT"
leaf client ec "/O=dev/CN=jane/O=ops" ca "$CLIENT_EXT"
leaf rogue-client ec "/CN=mallory/O=system:masters" other-ca "$CLIENT_EXT"
# several CNs (the last wins), a multi-valued RDN, characters that need escaping in a DN string
leaf odd-client ec "/O=first/CN=ignored/CN=last, \"quoted\"+O=a=b;c/O=system:masters" ca "$CLIENT_EXT"
leaf no-cn-client ec "/O=only-org" ca "$CLIENT_EXT"
cat server-ec.crt ca.crt > server-ec-chain.crt
openssl pkey -in server-rsa.key -traditional -out server-rsa-pkcs1.key
