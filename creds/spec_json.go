package creds

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// JSON nesting levels.
const (
	jsonTop       = "top"
	jsonArguments = "arguments" // inside {"execute":"object-add","arguments":{...}}
	jsonProps     = "props"     // the older object-add form's nested properties
)

// parseJSONProps reads the JSON form of an object spec, as QEMU accepts it
// for -object and QMP object-add:
//
//	{"qom-type":"tls-creds-x509","id":"tls0","endpoint":"server","dir":"/etc/pki/qemu"}
//
// Also accepted: the older object-add form with the type's properties nested
// under "props", and a whole QMP command {"execute":"object-add","arguments":{...}}.
// Values are strings, or JSON booleans. A key given twice (including once
// outside and once inside "props") and trailing data are errors.
func parseJSONProps(text string) ([]propValue, error) {
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return nil, specErr(text, "", fmt.Errorf("invalid JSON: %w", err))
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, specErr(text, "", errors.New("invalid JSON: want an object"))
	}
	props, err := readJSONMembers(text, dec, jsonTop)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, specErr(text, "", errors.New("invalid JSON: trailing data after the object"))
	}
	return props, nil
}

// readJSONMembers reads the members of an object whose '{' has been consumed,
// up to and including its '}'.
func readJSONMembers(text string, dec *json.Decoder, level string) ([]propValue, error) {
	invalid := func(err error) error {
		return specErr(text, "", fmt.Errorf("invalid JSON: %w", err))
	}
	var props []propValue
	execute, arguments := false, false
	var other []string // top-level keys besides execute and arguments
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, invalid(err)
		}
		key, ok := tok.(string)
		if !ok {
			return nil, invalid(fmt.Errorf("unexpected %v", tok))
		}
		if tok, err = dec.Token(); err != nil {
			return nil, invalid(err)
		}
		switch v := tok.(type) {
		case string:
			if level == jsonTop && key == "execute" {
				if v != "object-add" {
					return nil, specErrf(text, "execute", "invalid value %q (want object-add)", v)
				}
				execute = true
				continue
			}
			props = append(props, propValue{key: key, str: v})
		case bool:
			props = append(props, propValue{key: key, boolean: v, isBool: true})
		case json.Number:
			props = append(props, propValue{key: key, badJSON: "number " + v.String()})
		case nil:
			props = append(props, propValue{key: key, badJSON: "null"})
		case json.Delim:
			next := ""
			switch {
			case v == '{' && level == jsonTop && key == "arguments":
				next, arguments = jsonArguments, true
			case v == '{' && level != jsonProps && key == "props":
				next = jsonProps
				if level == jsonTop {
					other = append(other, key)
				}
			}
			if next == "" {
				kind := "object"
				if v == '[' {
					kind = "array"
				}
				return nil, specErrf(text, key, "invalid value: JSON %s (want a string or boolean)", kind)
			}
			inner, err := readJSONMembers(text, dec, next)
			if err != nil {
				return nil, err
			}
			props = append(props, inner...)
			continue
		}
		if level == jsonTop {
			other = append(other, key)
		}
	}
	if _, err := dec.Token(); err != nil { // the closing '}'
		return nil, invalid(err)
	}
	if execute != arguments || (execute && len(other) > 0) {
		return nil, specErr(text, "", errors.New(`a QMP command holds only "execute":"object-add" and "arguments":{...}`))
	}
	return props, nil
}
