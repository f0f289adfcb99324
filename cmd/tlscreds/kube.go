package main

import (
	"io"

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
