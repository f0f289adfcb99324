package lint

var (
	// RuleWaiverExpired is reported on a waiver of the configuration file
	// whose expiry date has passed.
	RuleWaiverExpired = register(&Rule{
		ID: "waiver-expired", Severity: Warning, Subject: SubjectFile,
		Summary:    "a waiver in the configuration file has expired: the findings it waived count again",
		Citation:   "tlscreds configuration (docs/ci.md, Waivers)",
		Fix:        "fix what the waiver covered and delete the waiver, or give it a later expires: date and a reason",
		reportedBy: "ExpiredWaivers",
	})
)
