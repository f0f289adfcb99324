package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/kubesecret"
	"github.com/tlscreds/tlscreds/lint"
)

// kubeSecretsUsage is the help of every --kube-secrets flag.
const kubeSecretsUsage = "Kubernetes Secrets manifest: YAML or JSON, a List or single objects, " +
	"e.g. kubectl get secret -A -o yaml; - for standard input (repeatable)"

// secretTargets streams the TLS Secrets of a manifest as lint targets:
// each one an object held in memory, named NAMESPACE/NAME.
func secretTargets(path string, stdin io.Reader, endpoint creds.Endpoint, fn func(lint.Target) error) error {
	return kubesecret.DecodeFile(path, stdin, func(s *kubesecret.Secret) error {
		t, err := secretTarget(s, endpoint)
		if err != nil {
			return err
		}
		return fn(t)
	})
}

func secretTarget(s *kubesecret.Secret, endpoint creds.Endpoint) (lint.Target, error) {
	sp, err := s.Spec(endpoint)
	if err != nil {
		return lint.Target{}, err
	}
	return lint.Target{Spec: sp, Identity: s.Identity(), Files: s.Files(),
		Note: "Kubernetes Secret " + s.Identity() + " (" + s.Type + ") from " + s.Source}, nil
}

// kubeSecrets are the Secrets of --kube-secrets files, by NAMESPACE/NAME,
// for commands that name one object (pair, inspect).
type kubeSecrets map[string]*kubesecret.Secret

var errNotSecret = errors.New("not a Secret reference")

// loadSecrets reads every Secret of the files (each Secret a few KiB).
func loadSecrets(paths []string, stdin io.Reader) (kubeSecrets, error) {
	out := kubeSecrets{}
	for _, p := range paths {
		err := kubesecret.DecodeFile(p, stdin, func(s *kubesecret.Secret) error {
			out[s.Identity()] = s
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("--kube-secrets: %w", err)
		}
	}
	return out, nil
}

// target resolves "secret:NAMESPACE/NAME" to the Secret's object for an
// endpoint; errNotSecret for any other value.
func (k kubeSecrets) target(v, flag string, endpoint creds.Endpoint) (lint.Target, error) {
	ref, ok := strings.CutPrefix(v, kubesecret.Prefix)
	if !ok {
		return lint.Target{}, errNotSecret
	}
	s, ok := k[ref]
	if !ok {
		return lint.Target{}, fmt.Errorf("--%s %s: no such TLS Secret in --kube-secrets (%d read)", flag, v, len(k))
	}
	return secretTarget(s, endpoint)
}
