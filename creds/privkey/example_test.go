package privkey_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"errors"
	"fmt"
	"log"

	"github.com/tlscreds/tlscreds/creds/privkey"
)

func ExampleParse() {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		log.Fatal(err)
	}
	data, err := privkey.Marshal(key, privkey.EncryptedPKCS8, []byte("secret"))
	if err != nil {
		log.Fatal(err)
	}

	if _, _, err := privkey.Parse(data, nil); errors.Is(err, privkey.ErrPasswordRequired) {
		fmt.Println("asking for the password")
	}
	signer, info, err := privkey.Parse(data, []byte("secret"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(key.Equal(signer))
	fmt.Println(info.Algorithm, info.Bits, info.Curve, info.Format)
	fmt.Println(info.Cipher)
	// Output:
	// asking for the password
	// true
	// ECDSA 256 P-256 encrypted-pkcs8
	// PBES2 PBKDF2-HMAC-SHA256 AES-256-CBC
}

func ExampleInspect() {
	certOnly := []byte("-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n")
	_, err := privkey.Inspect(certOnly)
	fmt.Println(errors.Is(err, privkey.ErrNoKey))
	fmt.Println(err)
	// Output:
	// true
	// privkey: no PEM private key (found CERTIFICATE)
}

func ExampleParseFormat() {
	f, err := privkey.ParseFormat("PKCS8")
	fmt.Println(f, err)
	_, err = privkey.ParseFormat("der")
	fmt.Println(err)
	// Output:
	// pkcs8 <nil>
	// privkey: unknown key format "der" (want one of pkcs8, pkcs1, sec1, encrypted-pkcs8, legacy-pem)
}
