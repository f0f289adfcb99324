package creds

import "errors"

// A minimal BER reader for the checks that must run before a library that
// accepts BER (go-pkcs12) is given a file: single-byte tags, definite and
// indefinite lengths, a bounded depth and node count. It is not a general
// ASN.1 decoder.

const (
	tagInteger     = 0x02
	tagOctetString = 0x04
	tagOID         = 0x06
	tagSequence    = 0x10

	classUniversal = 0
	classContext   = 2

	maxBERDepth = 64
	maxBERNodes = 1 << 16
)

var errBER = errors.New("malformed BER")

type berNode struct {
	class       int
	constructed bool
	tag         int
	raw         []byte // the whole encoding (definite lengths only)
	content     []byte // primitive content
	children    []*berNode
}

// parseBER reads one element from data and returns it and what follows.
func parseBER(data []byte, depth int) (*berNode, []byte, error) {
	count := 0
	return parseBERNode(data, depth, &count)
}

func parseBERNode(data []byte, depth int, count *int) (*berNode, []byte, error) {
	*count++
	if depth > maxBERDepth || *count > maxBERNodes || len(data) < 2 {
		return nil, nil, errBER
	}
	start := data
	id := data[0]
	n := &berNode{class: int(id >> 6), constructed: id&0x20 != 0, tag: int(id & 0x1f)}
	if n.tag == 0x1f {
		return nil, nil, errBER // multi-byte tags never occur in PKCS#12
	}
	l := int(data[1])
	data = data[2:]
	if l == 0x80 { // indefinite: constructed only, ends with 00 00
		if !n.constructed {
			return nil, nil, errBER
		}
		for {
			if len(data) >= 2 && data[0] == 0 && data[1] == 0 {
				return n, data[2:], nil
			}
			c, rest, err := parseBERNode(data, depth+1, count)
			if err != nil {
				return nil, nil, err
			}
			n.children = append(n.children, c)
			data = rest
		}
	}
	if l > 0x80 {
		k := l & 0x7f
		if k > 4 || len(data) < k {
			return nil, nil, errBER
		}
		l = 0
		for _, b := range data[:k] {
			l = l<<8 | int(b)
		}
		data = data[k:]
	}
	if l < 0 || l > len(data) {
		return nil, nil, errBER
	}
	body, rest := data[:l], data[l:]
	n.raw = start[:len(start)-len(rest)]
	if !n.constructed {
		n.content = body
		return n, rest, nil
	}
	for len(body) > 0 {
		c, r, err := parseBERNode(body, depth+1, count)
		if err != nil {
			return nil, nil, err
		}
		n.children = append(n.children, c)
		body = r
	}
	if n.tag == tagOctetString && n.class == classUniversal {
		// a constructed (segmented) OCTET STRING: its content is its pieces'.
		for _, c := range n.children {
			n.content = append(n.content, c.content...)
		}
	}
	return n, rest, nil
}
