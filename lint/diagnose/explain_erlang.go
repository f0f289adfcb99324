package diagnose

import (
	"strconv"
	"strings"

	"github.com/tlscreds/tlscreds/creds/cause"
	"github.com/tlscreds/tlscreds/internal/lazyregexp"
)

// erlangPatterns are the words of Erlang/OTP's own TLS implementation
// (the ssl application), as RabbitMQ, ejabberd's Erlang listeners and
// other BEAM programs log them (measured: RabbitMQ 3.10 on Erlang 25,
// round 23): "TLS server: In state STATE at FILE:LINE generated SERVER
// ALERT: Fatal - Unknown CA" followed by " - REASON", and "received
// CLIENT ALERT" for an alert the peer sent.
func erlangPatterns() []*pattern {
	return []*pattern{
		{source: "Erlang/OTP ssl", first: true, re: re(`TLS (server|client): In state (\w+)(?: at \S+)? (generated|received) (?:SERVER|CLIENT) ALERT: Fatal - ([A-Za-z][A-Za-z ]*[A-Za-z])`), side: sideServerSees, refine: erlangAlertRefine},
	}
}

// erlangReason is the reason line Erlang logs under the alert
// ("[notice] <0.923.0>  - no_client_certificate_provided").
var erlangReason = lazyregexp.New(`^.*? - (\{?[a-z_]+(?:,\d+)?\}?)\s*$`)

// erlangAlertRefine reads Erlang's alert line by who logged it (sub[1]),
// whether it generated or received the alert (sub[3]), the alert's name
// (sub[4]) and the reason Erlang gives under it.
func erlangAlertRefine(e *Explanation, sub []string, text string) bool {
	name := sub[4]
	if strings.EqualFold(name, "Unrecognised Name") {
		name = "unrecognized_name"
	}
	a, ok := AlertByName(name)
	if !ok {
		return false
	}
	e.Alert = &a
	who, generated := sub[1], sub[3] == "generated"
	// The reason is on the line after the alert's, and only there.
	reason := ""
	rest := text[strings.Index(text, sub[0])+len(sub[0]):]
	if _, next, ok := strings.Cut(rest, "\n"); ok {
		next, _, _ = strings.Cut(next, "\n")
		if m := erlangReason.FindStringSubmatch(next); m != nil {
			reason = m[1]
		}
	}
	what := "received"
	if generated {
		what = "sent"
	}
	e.Meaning = "Erlang's TLS " + who + " " + what + " alert " + strconv.Itoa(int(a.Number)) + " " + a.Name + " in its state " + sub[2]
	if reason != "" {
		e.Meaning += " (" + reason + ")"
	}
	switch {
	case !generated:
		// An alert the peer sent: read as any stack's received alert.
		e.Causes = alertCauses(a.Number)
		receivedAlert(e, a, who, text)
		return true
	case who == "client":
		// The Erlang client refused the server's certificate or
		// parameters.
		e.Side = "printed by an Erlang/OTP TLS client: it refused the server"
		e.Causes = serverCertAlertCauses(a.Number)
		if a.Number == 40 || a.Number == 70 || a.Number == 71 {
			e.Causes = alertCauses(a.Number)
		}
		return true
	}
	e.Side = "printed by an Erlang/OTP TLS server (RabbitMQ): it ended the handshake with this alert"
	switch {
	case a.Number == 116 || strings.Contains(reason, "no_client_certificate_provided"):
		// fail_if_no_peer_cert with a client that sent none.
		e.Meaning += ": the client sent no certificate and the server requires one"
		e.Causes = []string{cause.ClientCertRequired}
	case strings.Contains(reason, "record_type_mismatch,21"):
		// An alert record (type 21) where the server expected the
		// client's Finished: in TLS 1.3 the client refused the server's
		// certificate (or its signature) and said so under keys the
		// server was not reading with yet.
		e.Meaning += ": the client sent an alert where the server expected its Finished; the client refused the server's certificate or signature (its own output says why)"
		e.Causes = append(serverCertRefusedCauses(), cause.LoadFailed)
	case strings.Contains(reason, "unsupported_record_type"):
		// The first bytes are not a TLS record: a plain-text client.
		e.Meaning += ": the client's first bytes are not TLS; it spoke plain text (AMQP, HTTP) to the TLS port"
		e.Causes = []string{cause.PlaintextToTLS}
	case (sub[2] == "wait_cert" || sub[2] == "certify") && a.Number != 40:
		// The server was reading the client's certificate.
		e.Meaning += ": the server refused the client's certificate"
		e.Causes = []string{cause.ClientCertRejected}
		switch a.Number {
		case 44:
			e.Causes = []string{cause.Revoked, cause.ClientCertRejected}
		case 45:
			e.Causes = []string{cause.Expired, cause.ClientCertRejected}
		}
	default:
		e.Causes = alertCauses(a.Number)
	}
	return true
}
